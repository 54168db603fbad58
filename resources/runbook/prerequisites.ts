import { enabled, PlanInput, Step } from "./phases";
import { transitionTo } from "./transitions";

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

/**
 * "Prerequisites": the checks the stack configures, then what the runbook of the upgrade
 * requires before it (resources/runbook/transitions.ts).
 */
export function prerequisiteSteps(input: PlanInput): Step[] {
  return [...checkSteps(input), ...transitionTo(input.config).prerequisites(input)];
}
