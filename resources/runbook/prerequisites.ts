import { Command, enabled, IfStillToDo, PlanInput, Step } from "./phases";

/**
 * The runbook's prerequisites that need the cloud to check, each done by a command the
 * stack config gives (it passes when it exits 0); `applies` says for which deployments
 * the runbook asks for it.
 */
export const PREREQUISITE_CHECKS = {
  "hypervisor-capacity": { title: "Check there is hypervisor capacity to drain at least one node", applies: () => true },
  "test-suites": { title: "Check the expected test suites pass (e.g. Tempest)", applies: () => true },
  "prometheus-alerts": { title: "Check no Prometheus alerts are firing", applies: ({ kayobe }: PlanInput) => enabled(kayobe.vars, "kolla_enable_prometheus") },
  "opensearch-errors": { title: "Check OpenSearch has no unexpected ERROR or CRITICAL messages", applies: ({ kayobe }: PlanInput) => enabled(kayobe.vars, "kolla_enable_opensearch") },
} as const;

export type PrerequisiteCheck = keyof typeof PREREQUISITE_CHECKS;

const CHECK_PREFIX = "prerequisite-check-";

export function isPrerequisiteCheck(step: Step): boolean {
  return step.name.startsWith(CHECK_PREFIX);
}

/** The checks the runbook asks for here that the stack neither configures nor switches off. */
export function uncheckedPrerequisites(input: PlanInput): PrerequisiteCheck[] {
  return (Object.keys(PREREQUISITE_CHECKS) as PrerequisiteCheck[]).filter((id) => PREREQUISITE_CHECKS[id].applies(input) && input.config.safety.prerequisiteChecks[id] === undefined);
}

/** The configured checks first, so that a failing one stops the upgrade before it changes anything. */
function checkSteps({ config }: PlanInput): Step[] {
  return (Object.keys(PREREQUISITE_CHECKS) as PrerequisiteCheck[]).flatMap((id) => {
    const command = config.safety.prerequisiteChecks[id];
    if (command === undefined || command === false) return [];
    return [{ name: `${CHECK_PREFIX}${id}`, phase: "Prerequisites", title: PREREQUISITE_CHECKS[id].title, commands: [command], risk: "safe", drivenBy: ["release"] }];
  });
}

/** A command on the controllers as StackHPC's tools/upgrade-prerequisites.sh runs it, with root's rights. */
function onControllers(command: string, showOutput = false): string[] {
  return ["kayobe", "overcloud", "host", "command", "run", "-l", "controllers", "-b", "--command", command, ...(showOutput ? ["--show-output"] : [])];
}

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
 * "Prerequisites": the checks the stack configures; then the RabbitMQ SLURP upgrade and
 * the quorum queue migration, which the runbook requires before going from 2023.1 to
 * 2024.1 and only then. Neither is idempotent: each part runs only when the controllers
 * show it still to do.
 */
export function prerequisiteSteps(input: PlanInput): Step[] {
  const { config, kayobe } = input;
  if (config.targetRelease !== "2024.1") return checkSteps(input);
  const phase = "Prerequisites";
  const steps: Step[] = [
    ...checkSteps(input),
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
