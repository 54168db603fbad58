import type { Sides } from "../config/sides";
import { NAMESPACE } from "../config/settings";
import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";
import { withPreflight } from "../preflight/preflight-step";
import { Milestone, planUpgrade } from "./plan";

/** The milestones a stack declares: the runbook's plan with the preflight at its head. */
export function stackPlan(config: StackConfig, sides: Sides, recorded: string[] = []): Milestone[] {
  const plan = withPreflight(config, sides, planUpgrade(config, sides.target, sides.source, recorded));
  refuseUnknown(config, "doneByHand", Object.keys(config.doneByHand), plan, ["a milestone", "milestones"]);
  refuseUnknown(config, "approvals", Object.keys(config.approvals), plan.filter((m) => m.gatedBy !== undefined), ["a milestone with a review gate", "milestones with a review gate"]);
  return plan;
}

/** Names a setting gives that are not among `among`'s milestones, refused with the list of those. */
function refuseUnknown(config: StackConfig, key: string, names: string[], among: Milestone[], [one, many]: [string, string]): void {
  const unknown = names.filter((name) => !among.some((m) => m.name === name));
  if (unknown.length === 0) return;
  throw new ConfigError(config.stack, `${NAMESPACE}:${key}`, `${unknown.map((name) => `"${name}"`).join(", ")} ${unknown.length === 1 ? `is not ${one}` : `are not ${many}`} of this stack; expected among ${among.map((m) => m.name).join(", ")}`);
}
