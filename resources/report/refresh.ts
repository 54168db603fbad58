// What `bin/pulumi refresh` can re-check of a stack without running a step: the
// kayobe-config's checkout against the one the last completed run recorded, the release
// kayobe evaluates against the releases the steps reached, and each recorded step's goal
// against the plan now.
import type { Checkout } from "../checks/checkout";

type Recorded = Omit<Checkout, "changes">;

export interface Recheck {
  stack: string;
  /** The checkout the last completed run planned from (its `kayobeConfig` output), if any. */
  recorded?: Recorded;
  now: Checkout;
  /** `openstack_release` as kayobe evaluates the config now. */
  release: string;
  /** The releases the recorded steps reached. */
  reached: string[];
  /** Recorded steps whose goal (commands, release, configuration) differs from the plan's now. */
  changedGoals: string[];
  recordedSteps: number;
}

function describe(c: Recorded): string {
  return c.commit === null ? "not in git" : `commit ${c.commit.slice(0, 12)} on ${c.branch ?? "a detached HEAD"}, ${c.clean ? "clean" : "with uncommitted changes"}`;
}

export function renderRecheck(r: Recheck): string[] {
  const changed: string[] = [];
  const lines = [`kayobe-upgrade: refresh re-checked stack "${r.stack}":`];
  const now = describe(r.now);
  if (r.recorded === undefined) lines.push(`  kayobe-config ${r.now.path}: ${now} (no completed run recorded one)`);
  else if (describe(r.recorded) === now && r.recorded.path === r.now.path) lines.push(`  kayobe-config: unchanged, ${now}`);
  else {
    changed.push("the kayobe-config");
    lines.push(`  kayobe-config: CHANGED from ${describe(r.recorded)} (${r.recorded.path})`, `    to ${now} (${r.now.path})`);
  }
  const other = r.reached.filter((release) => release !== r.release);
  if (other.length === 0) lines.push(`  release: kayobe evaluates ${r.release}${r.reached.length > 0 ? ", as the recorded steps reached" : ""}`);
  else {
    changed.push("the release");
    lines.push(`  release: CHANGED: kayobe evaluates ${r.release}; recorded steps reached ${[...new Set(other)].join(", ")}`);
  }
  if (r.changedGoals.length === 0) lines.push(`  ${r.recordedSteps} recorded steps: each still matches the plan`);
  else {
    changed.push("steps' goals");
    lines.push(`  ${r.changedGoals.length} of ${r.recordedSteps} recorded steps no longer match the plan, and run again at the next up:`, ...r.changedGoals.map((name) => `    ${name}`));
  }
  lines.push(changed.length === 0 ? "  nothing changed" : `  changed: ${changed.join(", ")}`);
  lines.push("  no step was run or undone: the state keeps what was done");
  return lines;
}
