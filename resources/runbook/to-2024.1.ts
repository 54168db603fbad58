// What the runbook of the upgrade from 2023.1 Antelope to 2024.1 Caracal adds to the
// phases every upgrade has (resources/runbook/transitions.ts).
import { onHosts } from "./host-commands";
import { Command, enabled, IfStillToDo, PlanInput, Step } from "./phases";

const onControllers = (command: string, showOutput = false) => onHosts("controllers", command, showOutput);

/** `kolla-ansible rabbitmq-upgrade <to>`, only while the controllers still run RabbitMQ <from>. */
function rabbitmqUpgrade(from: string, to: string, after: Command[] = []): IfStillToDo {
  return {
    kind: "if-still-to-do",
    look: onControllers(`docker exec rabbitmq rabbitmqctl --version | grep -F ${from}.`, true),
    toDoWhen: "found",
    done: `RabbitMQ past ${from} on the controllers`,
    then: [["kayobe", "kolla", "ansible", "run", `rabbitmq-upgrade ${to}`], ...after],
  };
}

/**
 * The RabbitMQ SLURP upgrade and the quorum queue migration, which the runbook requires on
 * Antelope before going to Caracal. Neither is idempotent: each part runs only when the
 * controllers show it still to do.
 */
export function caracalPrerequisites({ config, kayobe }: PlanInput): Step[] {
  const phase = "Prerequisites";
  const steps: Step[] = [
    {
      name: "rabbitmq-slurp-upgrade",
      phase,
      title: "RabbitMQ SLURP upgrade (3.11 to 3.12 to 3.13)",
      commands: [
        ["kayobe", "overcloud", "service", "configuration", "generate", "--node-config-dir", "/tmp/ignore", "-kt", "none"],
        // The wait lets the cluster settle between the two upgrades; there is none to settle when 3.12 was already there.
        rabbitmqUpgrade("3.11", "3.12", [{ kind: "wait", seconds: config.rabbitmqUpgradeWait }]),
        rabbitmqUpgrade("3.12", "3.13"),
      ],
      risk: "at risk",
      drivenBy: ["release"],
    },
  ];
  // The runbook migrates once these are set in the kolla globals; until then the
  // deployment stays on HA queues and there is nothing to migrate to.
  if (enabled(kayobe.kollaGlobals, "om_enable_rabbitmq_quorum_queues") && !enabled(kayobe.kollaGlobals, "om_enable_rabbitmq_high_availability")) {
    steps.push({
      name: "rabbitmq-quorum-migration",
      phase,
      title: "RabbitMQ quorum queues (migration from HA queues)",
      commands: [
        {
          kind: "if-still-to-do",
          look: onControllers("docker exec rabbitmq rabbitmqctl list_queues type | grep quorum"),
          toDoWhen: "not found",
          done: "quorum queues on the controllers",
          then: [["$KAYOBE_CONFIG_PATH/../../tools/rabbitmq-quorum-migration.sh"]],
        },
      ],
      risk: "outage",
      drivenBy: ["release"],
    });
  }
  return steps;
}
