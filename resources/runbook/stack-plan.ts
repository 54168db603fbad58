import { KayobeConfig } from "../config/kayobe-config";
import { StackConfig } from "../config/stack-config";
import { withPreflight } from "../preflight/preflight-step";
import { Milestone, planUpgrade } from "./plan";

/** The milestones a stack declares: the runbook's plan with the preflight at its head. */
export function stackPlan(config: StackConfig, kayobe: KayobeConfig): Milestone[] {
  return withPreflight(config, planUpgrade(config, kayobe));
}
