import { enabled, PlanInput, Step } from "./phases";

/**
 * "Prerequisites": the RabbitMQ SLURP upgrade and the quorum queue migration, which the
 * runbook requires before going from 2023.1 to 2024.1 and only then.
 */
export function prerequisiteSteps({ config, kayobe }: PlanInput): Step[] {
  if (config.targetRelease !== "2024.1") return [];
  const phase = "Prerequisites";
  const steps: Step[] = [
    {
      name: "rabbitmq-slurp-upgrade",
      phase,
      title: "RabbitMQ SLURP upgrade (3.11 to 3.12 to 3.13)",
      commands: [
        ["kayobe", "overcloud", "service", "configuration", "generate", "--node-config-dir", "/tmp/ignore", "-kt", "none"],
        ["kayobe", "kolla", "ansible", "run", "rabbitmq-upgrade 3.12"],
        ["sleep", String(config.rabbitmqUpgradeWait)],
        ["kayobe", "kolla", "ansible", "run", "rabbitmq-upgrade 3.13"],
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
      commands: [["$KAYOBE_CONFIG_PATH/../../tools/rabbitmq-quorum-migration.sh"]],
      risk: "outage",
      drivenBy: ["release"],
    });
  }
  return steps;
}
