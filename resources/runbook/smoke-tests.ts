import { StackConfig } from "../config/stack-config";
import { Phase, Step } from "./phases";

const PREFIX = "smoke-tests-";

/**
 * "A set of smoke tests to perform after significant changes": the operator's commands
 * for a phase, run as the phase's last milestone so that a failure blocks what follows.
 * A phase with nothing to do for this release or kayobe-config changes nothing to test.
 */
export function smokeTestSteps(config: StackConfig, phase: Phase, phaseSteps: Step[]): Step[] {
  const commands = config.smokeTests[phase];
  if (commands === undefined || phaseSteps.length === 0) return [];
  return [{ name: `${PREFIX}${phase.toLowerCase().replace(/\s+/g, "-")}`, phase, title: `Smoke tests after ${phase}`, commands, risk: "safe", drivenBy: ["release"] }];
}

export function isSmokeTest(step: Step): boolean {
  return step.name.startsWith(PREFIX);
}
