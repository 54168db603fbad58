// A run's log file, private to its owner.
import * as fs from "fs";

/**
 * A run's log. A write that fails (disk full, folder gone) is remembered rather than
 * thrown from a pipe's handler, where it would kill the provider: the command runs to its
 * end, then the milestone fails once, naming the file. Nothing recorded is lost: the step
 * is simply not recorded as done.
 */
export class LogFile {
  private error?: string;

  constructor(readonly file: string) {
    this.write(() => fs.writeFileSync(file, "", { mode: 0o600, flag: "a" }));
    this.check();
  }

  append(text: string): void {
    this.write(() => fs.appendFileSync(this.file, text));
  }

  check(): void {
    if (this.error !== undefined) throw new Error(`cannot write the log ${this.file}: ${this.error}; the step is not recorded as done and runs again next time`);
  }

  private write(operation: () => void): void {
    if (this.error !== undefined) return;
    try {
      operation();
    } catch (err) {
      this.error = (err as Error).message;
    }
  }
}
