// What a milestone must achieve, as the one digest its record keeps. Both the provider's
// diff and the plan report (resources/report/state.ts) decide "done" with goalMet.
import { canonicalJson, fingerprint } from "../runbook/plan";
import { renderArgv } from "../runbook/render";
import { Command, REBOOT_CHECKS, ToReview } from "../runbook/phases";

/** What a milestone must achieve. A change to any of these is an update: the milestone runs again. */
export interface Goal {
  commands: Command[];
  targetRelease: string;
  fingerprint: string;
  /** What of its run the operator reviews: a check recorded before reviews were runs again, to make one. */
  toReview?: ToReview;
}

/**
 * The digest of a goal. Paths inside the project (its scratch folder, the simulator)
 * count relative to it, so operators sharing a stack from clones at different paths agree.
 * What only tunes how the commands run is left out: a change to it never runs a step again.
 */
export function goalDigest(goal: Goal, projectRoot: string): string {
  const { commands, targetRelease, fingerprint: driven, toReview } = goal;
  // Without a review, as before reviews were: the records of those steps stay valid.
  const reviewed = toReview === undefined ? {} : { toReview };
  return fingerprint(canonicalJson({ commands: commands.filter(achieves).map(untuned), targetRelease, fingerprint: driven, ...reviewed }).split(projectRoot).join("$PROJECT"));
}

/** A wait for the hosts' health only gates what follows: adding, changing or removing one runs nothing again. */
function achieves(command: Command): boolean {
  return Array.isArray(command) || command.kind !== "until-healthy";
}

/** A command as its goal counts it: a wait of any length is a wait. Commands without tuning are kept as they are, so their records' digests stay valid. */
function untuned(command: Command): unknown {
  if (Array.isArray(command)) return command;
  if (command.kind === "wait") return { kind: "wait" };
  if (command.kind === "if-still-to-do") return { ...command, then: command.then.map(untuned) };
  return command;
}

/**
 * Commands as a milestone's inputs carry them, each one line that `preview --diff` shows
 * whole: an argv as the shell reads it (renderArgv), any other command as its kind and
 * its JSON (not JSON alone, which Pulumi would diff word by word again).
 */
export function encodeCommands(commands: Command[]): string[] {
  return commands.map((command) => (Array.isArray(command) ? renderArgv(command) : `${command.kind} ${JSON.stringify(command)}`));
}

/** Commands from inputs (encoded) or from records written before (as they are). */
export function decodeCommands(commands: (Command | string)[]): Command[] {
  return commands.map((command) => (typeof command === "string" ? decodeCommand(command) : command));
}

function decodeCommand(line: string): Command {
  const [, kind, json] = /^([a-z-]+) (\{.*\})$/s.exec(line) ?? [];
  if (json !== undefined) {
    const command = JSON.parse(json) as Exclude<Command, string[]>;
    if (command.kind === kind) return command;
  }
  return parseArgv(line);
}

/** The argv renderArgv rendered: words apart by one space, each bare or double-quoted with \ before ", \\, $ and `. */
function parseArgv(line: string): string[] {
  const words: string[] = [];
  const word = /"((?:[^"\\]|\\["\\$`])*)"|([^ "]+)/gy;
  for (let at = 0; at < line.length; at = word.lastIndex + 1) {
    word.lastIndex = at;
    const match = word.exec(line);
    if (match === null) throw new Error(`not a rendered argv: ${line}`);
    words.push(match[1] !== undefined ? match[1].replace(/\\(["\\$`])/g, "$1") : match[2]);
  }
  return words;
}

/** A milestone's record (outputs) or inputs, as far as its goal goes. */
export interface GoalRecord extends Partial<Omit<Goal, "commands">> {
  commands?: (Command | string)[];
  /** The digest, in records since the state keeps the goal as a digest only. */
  goal?: string;
  projectRoot?: string;
  execution?: { cwd: string };
}

/**
 * The goal a record was achieved for, if any. Inputs, and records written before the
 * state kept only the digest, hold the goal itself, with the project root it was run from.
 */
export function recordedGoal(record: GoalRecord): string | undefined {
  if (record.goal !== undefined) return record.goal;
  const root = record.projectRoot ?? record.execution?.cwd;
  const { commands, targetRelease, fingerprint: driven, toReview } = record;
  if (commands === undefined || targetRelease === undefined || driven === undefined || root === undefined) return undefined;
  return goalDigest({ commands: decodeCommands(commands), targetRelease, fingerprint: driven, toReview }, root);
}

/**
 * Whether a record achieved the goal. Records written before the RabbitMQ steps looked
 * first hold the digest of the same commands unguarded (each if-still-to-do as what it
 * guards, the wait as `sleep N`), and those written before a host had to answer the
 * reboot check hold its open form: those steps are done too, and an outage step among
 * them must not wait for a maintenance window to find so.
 */
export function goalMet(record: GoalRecord, goal: Goal, projectRoot: string): boolean {
  const recorded = recordedGoal(record);
  return recorded !== undefined && [goal.commands, goal.commands.flatMap(unguarded)].some((commands) => recorded === goalDigest({ ...goal, commands }, projectRoot));
}

function unguarded(command: Command): Command[] {
  if (Array.isArray(command)) return [command];
  if (command.kind === "wait") return [["sleep", String(command.seconds)]];
  if (command.kind === "if-still-to-do") return command.then.flatMap(unguarded);
  if (command.kind === "reboot-if-required") return [{ ...command, check: command.check.map((arg) => OPEN_REBOOT_CHECKS[arg] ?? arg) }];
  return [command];
}

/** The reboot checks as they were before a host had to answer, when they ended in `|| true`. */
const OPEN_REBOOT_CHECKS: Record<string, string> = {
  [REBOOT_CHECKS.redhat]: "needs-restarting -r || true",
  [REBOOT_CHECKS.ubuntu]: "cat /var/run/reboot-required 2>/dev/null || true",
};
