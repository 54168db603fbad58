// How long the pending steps will take, from how long steps took: this stack's own record
// first (a step run again), then its reference's (production's staging stack). A host
// step unknown by name is estimated from the other hosts of the same step: hosts of a
// batch update side by side, so a batch takes about one host's time.
import { formatDuration } from "../config/time";
import { hostStepOf } from "../promotion/gate";
import type { Milestone } from "../runbook/plan";
import type { Recorded } from "./state";

/** Each completed step's duration in seconds, by milestone, from the stack's record. */
export function recordedDurations(recorded: Recorded): Map<string, number> {
  const durations = new Map<string, number>();
  for (const [name, o] of recorded) {
    if (o.completedAt === undefined || o.doneByHand !== undefined) continue;
    // Records made before startedAt was kept: from their first command's start.
    const start = o.startedAt ?? o.commandsRun?.[0]?.startedAt;
    if (start !== undefined) durations.set(name, (Date.parse(o.completedAt) - Date.parse(start)) / 1000);
  }
  return durations;
}

export interface Estimate {
  seconds: number;
  /** The part inside the maintenance window: steps that cause an API outage. */
  outageSeconds: number;
  /** Each pending step's estimate. */
  steps: Record<string, number>;
  /** Pending steps no record speaks for, counted at the median recorded step. */
  unknown: string[];
}

function mean(values: number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
}

export function estimatePending(pending: Milestone[], own: Map<string, number>, reference: Map<string, number> = new Map()): Estimate {
  const known = [...own.entries(), ...reference.entries()];
  const sameStep = (name: string) => mean(known.filter(([other]) => hostStepOf(other) === hostStepOf(name)).map(([, seconds]) => seconds));
  const fallback = median(known.map(([, seconds]) => seconds));
  const steps: Record<string, number> = {};
  const unknown: string[] = [];
  for (const m of pending) {
    const seconds = own.get(m.name) ?? reference.get(m.name) ?? sameStep(m.name);
    if (seconds === undefined) unknown.push(m.name);
    steps[m.name] = seconds ?? fallback;
  }
  const total = (ms: Milestone[]) => ms.reduce((sum, m) => sum + steps[m.name], 0);
  return { seconds: total(pending), outageSeconds: total(pending.filter((m) => m.risk === "outage")), steps, unknown };
}

/** The estimate in a sentence, at 80 columns or so. */
export function describeEstimate(pendingCount: number, estimate: Estimate): string {
  if (pendingCount === 0) return "nothing pending";
  const unknown = estimate.unknown.length === 0 ? "" : `; ${estimate.unknown.length} with no record, counted at the median step`;
  return `${pendingCount} steps pending, estimated ${formatDuration(estimate.seconds)}, of which ${formatDuration(estimate.outageSeconds)} inside the maintenance window (API outage)${unknown}`;
}
