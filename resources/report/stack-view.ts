// A stack as the reports read it without the engine running: its settings, its plan, and
// its state through `bin/pulumi stack export`.
import { spawnSync } from "child_process";
import * as path from "path";
import { readSides, Sides } from "../config/sides";
import { parseStackConfig, StackConfig } from "../config/stack-config";
import { recordDir } from "../config/record";
import { readStackFile, readVaultPassword } from "../config/stack-file";
import { stackPlan } from "../runbook/stack-plan";
import type { Milestone } from "../runbook/plan";
import { milestoneStatuses, MilestoneStatus, Recorded, recordedMilestones } from "./state";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export function pulumi(args: string[]): string {
  const result = spawnSync(path.join(PROJECT_ROOT, "bin", "pulumi"), [...args, "--non-interactive"], { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`bin/pulumi ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

export interface StackView {
  config: StackConfig;
  sides: Sides;
  plan: Milestone[];
  statuses: Map<string, MilestoneStatus>;
  /** The milestones the state records, read from `pulumi stack export`. */
  recorded: Recorded;
}

export function viewStack(stack: string): StackView {
  const config = parseStackConfig(stack, readStackFile(PROJECT_ROOT, stack), PROJECT_ROOT, recordDir());
  // The vault password first: it says how to create a stack that is not on the backend.
  const sides = readSides(config, readVaultPassword(PROJECT_ROOT, stack));
  const recorded = recordedMilestones(pulumi(["stack", "export", "--stack", stack]));
  const plan = stackPlan(config, sides, [...recorded.keys()]);
  return { config, sides, plan, statuses: milestoneStatuses(plan, config.targetRelease, recorded, PROJECT_ROOT), recorded };
}
