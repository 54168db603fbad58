// The end of a run, in place of the stream again: what ran, by phase, what failed and why,
// and where the logs are.
import * as path from "path";
import { formatDuration } from "../config/time";
import { fit, wrap } from "../executor/progress";
import type { StepEvent, StepRefusal } from "../executor/step-record";

export function summariseRun(events: StepEvent[], refusals: StepRefusal[] = []): string[] {
  const ended = events.filter((e) => e.event !== "start");
  const started = events.filter((e) => e.event === "start");
  if (started.length === 0 && refusals.length === 0) return ["kayobe-upgrade: no step ran"];
  const done = ended.filter((e) => e.event === "done");
  const failed = ended.flatMap((e) => (e.event === "failed" ? [e] : []));
  const unfinished = started.filter((s) => !ended.some((e) => e.milestone === s.milestone));
  const phases = [...new Set(done.map((e) => e.phase))];
  const lines = [
    fit(`kayobe-upgrade: ${done.length} steps done${failed.length > 0 ? `, ${failed.length} failed` : ""}${unfinished.length > 0 ? `, ${unfinished.length} unfinished` : ""}${refusals.length > 0 ? `, ${refusals.length} not started` : ""} in this run`),
    ...phases.map((phase) => {
      const steps = done.filter((e) => e.phase === phase);
      return fit(`  ${phase}: ${steps.length} done, ${formatDuration(steps.reduce((sum, e) => sum + e.seconds, 0))}`);
    }),
  ];
  for (const f of failed) {
    lines.push(fit(`  FAILED [${f.position}] ${f.milestone} after ${formatDuration(f.seconds)}`));
    lines.push(...wrap("    ", f.error));
    if (f.log !== "") lines.push(...wrap("    ", `log ${f.log}`));
  }
  // Whole: a review gate's reason ends with the command that approves, left on one line to be copied.
  const reasonLines = (line: string) => (line.trim().startsWith("bin/pulumi ") ? [`    ${line.trim()}`] : wrap("    ", line.trim()));
  for (const r of refusals) lines.push(fit(`  NOT STARTED [${r.position}] ${r.milestone}`), ...r.reason.split("\n").flatMap(reasonLines));
  for (const u of unfinished) lines.push(fit(`  UNFINISHED [${u.position}] ${u.milestone}`), ...wrap("    ", `log ${u.log}`));
  const dirs = [...new Set(started.map((e) => path.dirname(e.log)))];
  lines.push(...dirs.flatMap((dir) => wrap("  ", `logs ${dir}`)));
  return lines;
}
