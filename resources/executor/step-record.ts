// Each step's start and end, kept beside its logs (`steps.jsonl` in the stack's logDir):
// the state records only what completed, so this is where a failed or running step is
// found. The same events reach bin/pulumi, which shows the lines as they come and sums
// the run up at its end (resources/report/follow.ts).
import * as fs from "fs";
import * as path from "path";

interface StepBase {
  milestone: string;
  /** `12/57`: the step's place in the runbook's order. */
  position: string;
  phase: string;
  at: string;
  log: string;
}

export type StepEvent =
  | (StepBase & { event: "start"; pid: number })
  | (StepBase & { event: "done"; seconds: number })
  | (StepBase & { event: "failed"; seconds: number; error: string });

/** A step that was not started, and why (a review gate, the maintenance window, a wait): for the end of the run. */
export interface StepRefusal {
  milestone: string;
  position: string;
  reason: string;
}

/** What bin/pulumi's follower reads: a line for the terminal, a step's event, or a step not started. */
export type ChannelEntry = { line: string } | { step: StepEvent } | { refused: StepRefusal };

/** bin/pulumi names a file to write to; without it (the bare pulumi CLI), lines go to the engine. */
const CHANNEL_VARIABLE = "KAYOBE_UPGRADE_PROGRESS";

const STEPS_FILE = "steps.jsonl";

function toChannel(entry: ChannelEntry): boolean {
  const file = process.env[CHANNEL_VARIABLE];
  if (file === undefined || file === "") return false;
  fs.appendFileSync(file, `${JSON.stringify(entry)}\n`);
  return true;
}

/** A line for the operator's terminal. */
export function toOperator(line: string): void {
  if (!toChannel({ line })) process.stderr.write(`${line}\n`);
}

/** Told to bin/pulumi only: a step not started has no log nor record to keep. */
export function announceRefusal(refusal: StepRefusal): void {
  toChannel({ refused: refusal });
}

export function recordStep(logDir: string, event: StepEvent): void {
  fs.mkdirSync(logDir, { recursive: true });
  fs.appendFileSync(path.join(logDir, STEPS_FILE), `${JSON.stringify(event)}\n`);
  toChannel({ step: event });
}

/** The events recorded in `logDir`, oldest first; none when nothing ran there yet. */
export function readSteps(logDir: string): StepEvent[] {
  const file = path.join(logDir, STEPS_FILE);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as StepEvent);
}

/** Whether the process that recorded a start (on this host) still runs. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
