// A stack as the reports read it without the engine running: its settings, its plan, and
// its state through `bin/pulumi stack export`.
import { spawnSync } from "child_process";
import * as path from "path";
import { KayobeConfig, readKayobeConfig } from "../config/kayobe-config";
import { parseStackConfig, StackConfig } from "../config/stack-config";
import { readStackFile, readVaultPassword } from "../config/stack-file";
import { stackPlan } from "../runbook/stack-plan";
import type { Milestone } from "../runbook/plan";
import { milestoneStatuses, MilestoneStatus } from "./state";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

export function pulumi(args: string[]): string {
  const result = spawnSync(path.join(PROJECT_ROOT, "bin", "pulumi"), [...args, "--non-interactive"], { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`bin/pulumi ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

export interface StackView {
  config: StackConfig;
  kayobe: KayobeConfig;
  plan: Milestone[];
  statuses: Map<string, MilestoneStatus>;
  /** The state, as `pulumi stack export` gives it. */
  exported: string;
}

export function viewStack(stack: string): StackView {
  const config = parseStackConfig(stack, readStackFile(PROJECT_ROOT, stack), PROJECT_ROOT);
  const kayobe = readKayobeConfig(config, readVaultPassword(PROJECT_ROOT, stack));
  const plan = stackPlan(config, kayobe);
  const exported = pulumi(["stack", "export", "--stack", stack]);
  return { config, kayobe, plan, statuses: milestoneStatuses(plan, config.targetRelease, exported, PROJECT_ROOT), exported };
}
