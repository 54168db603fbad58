// A step's progress on the operator's terminal, at 80 columns: where it stands in the
// runbook, each exact command, the log holding its full output, the latest lines of that
// output, and how long it took.
import { formatDuration } from "../config/time";

/** The widest line shown: a terminal's default. */
export const WIDTH = 80;

/** How many of the latest output lines reach the terminal per window; the log has them all. */
export interface Throttle {
  lines: number;
  windowMs: number;
  now: () => number;
}

export const DEFAULT_THROTTLE: Throttle = { lines: 10, windowMs: 10_000, now: Date.now };

/** Which step: its name, and its place in the runbook (`12/57`) when known. */
export interface StepLabel {
  milestone: string;
  position?: string;
  title?: string;
}

/** `text` cut to `width` columns, the cut marked. */
export function fit(text: string, width = WIDTH): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * `text` after `prefix` in lines of at most `width` columns, none of it lost: broken after
 * a space or a slash where there is one (a path breaks between folders), continuation
 * lines indented. The lines' text, concatenated, is `text`.
 */
export function wrap(prefix: string, text: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let rest = text;
  let lead = prefix;
  while (lead.length + rest.length > width) {
    const room = width - lead.length;
    const space = Math.max(rest.lastIndexOf(" ", room - 1), rest.lastIndexOf("/", room - 1));
    const cut = space > 0 ? space + 1 : room;
    lines.push(`${lead}${rest.slice(0, cut)}`);
    rest = rest.slice(cut);
    lead = `${prefix}    `;
  }
  lines.push(`${lead}${rest}`);
  return lines;
}

/**
 * One step's lines. Output comes as the tail: at most `lines` of the latest lines per
 * window, after a count of those passed over, so a long ansible run shows where it is
 * now rather than how it began.
 */
export class Progress {
  private readonly prefix: string;
  private partial = "";
  private tail: string[] = [];
  private passed = 0;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly step: StepLabel,
    private readonly emit: (line: string) => void,
    private readonly throttle: Throttle = DEFAULT_THROTTLE,
  ) {
    this.prefix = `[${step.position ?? step.milestone}] `;
  }

  /** The step starts: what it is, and where its full output goes. */
  start(log: string): void {
    this.emit(fit(`${this.prefix}${this.step.milestone}${this.step.title === undefined ? "" : `: ${this.step.title}`}`));
    for (const line of wrap(this.prefix, `log ${log}`)) this.emit(line);
  }

  /** A command starts: the exact command, whole. */
  announce(command: string): void {
    this.flush();
    for (const line of wrap(this.prefix, `$ ${command}`)) this.emit(line);
    // Its first line shows as it comes: that the command got going.
    this.lastFlush = Number.NEGATIVE_INFINITY;
  }

  write(chunk: string): void {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  /** The command ended: its last lines. */
  end(): void {
    if (this.partial !== "") this.line(this.partial);
    this.partial = "";
    this.flush();
  }

  /** The step ended, and how long it took. */
  finish(ok: boolean, seconds: number): void {
    this.flush();
    this.emit(fit(`${this.prefix}${this.step.milestone} ${ok ? "done in" : "FAILED after"} ${formatDuration(seconds)}`));
  }

  /** Shows the latest lines held; called as each window closes, even when the command is quiet. */
  flush(): void {
    this.lastFlush = this.throttle.now();
    if (this.passed > 0) this.emit(`${this.prefix}  (${this.passed} lines before these are in the log)`);
    for (const line of this.tail) this.emit(fit(`${this.prefix}  ${line}`).trimEnd());
    this.tail = [];
    this.passed = 0;
  }

  private line(text: string): void {
    // Squeezed to what fits: ansible's alignment and rules of stars (longer than a secret's mask) cost the columns that
    // a recap's failed= count needs. Blank lines say nothing. The log keeps them all.
    const squeezed = text.replace(/\r/g, "").trim().replace(/\s{2,}/g, " ").replace(/\*{10,}/g, "***");
    if (squeezed === "") return;
    this.tail.push(squeezed);
    if (this.tail.length > this.throttle.lines) {
      this.tail.shift();
      this.passed++;
    }
    if (this.throttle.now() - this.lastFlush >= this.throttle.windowMs) this.flush();
  }
}
