import type { Sides } from "../config/sides";
import { NAMESPACE } from "../config/settings";
import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";
import { withPreflight } from "../preflight/preflight-step";
import { Milestone, planUpgrade } from "./plan";

/** The milestones a stack declares: the runbook's plan with the preflight at its head. */
export function stackPlan(config: StackConfig, sides: Sides, recorded: string[] = []): Milestone[] {
  const plan = withPreflight(config, sides, planUpgrade(config, sides.target, sides.source, recorded));
  const unknown = Object.keys(config.doneByHand).filter((name) => !plan.some((m) => m.name === name));
  if (unknown.length > 0) {
    throw new ConfigError(config.stack, `${NAMESPACE}:doneByHand`, `${unknown.map((name) => `"${name}"`).join(", ")} ${unknown.length === 1 ? "is not a milestone" : "are not milestones"} of this stack; expected among ${plan.map((m) => m.name).join(", ")}`);
  }
  return plan;
}
