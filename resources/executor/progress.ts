/** How many lines of a command's output reach the terminal per window; the log has them all. */
export interface Throttle {
  lines: number;
  windowMs: number;
  now: () => number;
}

export const DEFAULT_THROTTLE: Throttle = { lines: 20, windowMs: 10_000, now: Date.now };

/**
 * A running command's output (already scrubbed) on its way to the operator's terminal:
 * line by line, prefixed by the milestone, and throttled so that a chatty ansible run does
 * not flood the engine. Lines over the budget are counted and the count is said when
 * the next window opens or the command ends.
 */
export class Progress {
  private partial = "";
  private windowStart = Number.NEGATIVE_INFINITY;
  private shown = 0;
  private held = 0;

  constructor(
    private readonly milestone: string,
    private readonly emit: (line: string) => void,
    private readonly throttle: Throttle = DEFAULT_THROTTLE,
  ) {}

  /** Always shown: which command starts. */
  announce(command: string): void {
    this.emit(`[${this.milestone}] $ ${command}`);
  }

  write(chunk: string): void {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  /** The command ended: its last partial line, and how many lines were held back. */
  end(): void {
    if (this.partial !== "") this.line(this.partial);
    this.partial = "";
    this.sayHeld();
  }

  private line(text: string): void {
    const now = this.throttle.now();
    if (now - this.windowStart >= this.throttle.windowMs) {
      this.sayHeld();
      this.windowStart = now;
      this.shown = 0;
    }
    if (this.shown < this.throttle.lines) {
      this.shown++;
      this.emit(`[${this.milestone}] ${text.trimEnd()}`);
    } else {
      this.held++;
    }
  }

  private sayHeld(): void {
    if (this.held > 0) this.emit(`[${this.milestone}] (${this.held} more lines in the log)`);
    this.held = 0;
  }
}
