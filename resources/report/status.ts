// Where a stack's upgrade stands, from its state (what completed) and its steps' record
// beside the logs (what failed, or runs now): right after a failed run too, when the
// stack's outputs still hold the run before.
import { formatDuration } from "../config/time";
import { fit, wrap } from "../executor/progress";
import type { StepEvent } from "../executor/step-record";
import { describeEstimate, Estimate } from "./estimate";
import type { Risk } from "../runbook/phases";
import type { Milestone } from "../runbook/plan";
import type { MilestoneStatus } from "./state";

/** `interrupted`: started, with no end recorded, and its process is gone. */
export type StepState = "done" | "pending" | "failed" | "running" | "interrupted";

export interface StepStatus {
  name: string;
  phase: string;
  title: string;
  risk: Risk;
  /** `12/57`, in the runbook's order. */
  position: string;
  state: StepState;
  log?: string;
  /** When it completed, or when it failed or started. */
  at?: string;
  error?: string;
  doneByHand?: string;
}

export interface PhaseStatus {
  phase: string;
  done: number;
  total: number;
  /** The phase's worst: failed, interrupted or running when one of its steps is, else done or pending. */
  state: StepState;
}

export interface StackStatus {
  stack: string;
  targetRelease: string;
  done: number;
  total: number;
  phases: PhaseStatus[];
  /** Steps not done, or failed, or running: the first of them is where the upgrade is. */
  current?: StepStatus;
  /** How long what is not done yet should take. */
  remaining: Estimate;
  steps: StepStatus[];
}

const SEVERITY: StepState[] = ["failed", "interrupted", "running", "pending", "done"];

export function stackStatus(
  stack: string,
  targetRelease: string,
  plan: Milestone[],
  statuses: Map<string, MilestoneStatus>,
  events: StepEvent[],
  alive: (pid: number) => boolean,
  estimate: (pending: Milestone[]) => Estimate,
): StackStatus {
  const latest = new Map(events.map((e) => [e.milestone, e]));
  const steps = plan.map((m, index): StepStatus => {
    const base = { name: m.name, phase: m.phase, title: m.title, risk: m.risk, position: `${index + 1}/${plan.length}` };
    const status = statuses.get(m.name);
    if (status?.state === "done") return { ...base, state: "done", at: status.completedAt, ...(status.log === undefined ? {} : { log: status.log }), ...(status.doneByHand === undefined ? {} : { doneByHand: status.doneByHand }) };
    const last = latest.get(m.name);
    // A step that failed before its log was opened has none.
    const log = last === undefined || last.log === "" ? {} : { log: last.log };
    if (last?.event === "failed") return { ...base, state: "failed", at: last.at, ...log, error: last.error };
    if (last?.event === "start") return { ...base, state: alive(last.pid) ? "running" : "interrupted", at: last.at, ...log };
    return { ...base, state: "pending" };
  });
  const phases = [...new Set(plan.map((m) => m.phase))].map((phase): PhaseStatus => {
    const own = steps.filter((s) => s.phase === phase);
    const state = SEVERITY.find((s) => own.some((step) => step.state === s && s !== "pending" && s !== "done")) ?? (own.every((s) => s.state === "done") ? "done" : "pending");
    return { phase, done: own.filter((s) => s.state === "done").length, total: own.length, state };
  });
  const current = SEVERITY.slice(0, 3)
    .map((state) => steps.find((s) => s.state === state))
    .find((s) => s !== undefined) ?? steps.find((s) => s.state === "pending");
  const remaining = estimate(plan.filter((_, i) => steps[i].state !== "done"));
  return { stack, targetRelease, done: steps.filter((s) => s.state === "done").length, total: steps.length, phases, ...(current === undefined ? {} : { current }), remaining, steps };
}

const HEADING: Record<StepState, string> = { failed: "FAILED", interrupted: "INTERRUPTED", running: "RUNNING", pending: "NEXT", done: "DONE" };

/** The status at 80 columns: the headline, the step that matters now, then each phase in the runbook's order. */
export function renderStatus(status: StackStatus, now: Date): string[] {
  const lines = [fit(`${status.stack}: ${status.done} of ${status.total} steps done, upgrading to ${status.targetRelease}`), ...wrap("", describeEstimate(status.total - status.done, status.remaining))];
  const c = status.current;
  if (c !== undefined) {
    lines.push(fit(`${HEADING[c.state]} [${c.position}] ${c.name}: ${c.title}`));
    if (c.error !== undefined) lines.push(...wrap("  ", c.error));
    if (c.state === "running" && c.at !== undefined) lines.push(`  running for ${formatDuration((now.getTime() - Date.parse(c.at)) / 1000)}`);
    if (c.state !== "pending" && c.at !== undefined && c.state !== "running") lines.push(`  at ${c.at}`);
    if (c.log !== undefined) lines.push(...wrap("  ", `log ${c.log}`));
    if (c.risk === "outage") lines.push("  causes an API outage: runs inside the maintenance window");
  }
  const width = Math.max(...status.phases.map((p) => p.phase.length));
  lines.push("phases, in the runbook's order:");
  for (const p of status.phases) lines.push(fit(`  ${p.state.padEnd(11)} ${p.phase.padEnd(width)} ${String(p.done).padStart(3)}/${p.total}`));
  return lines;
}
