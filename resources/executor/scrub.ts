// Secrets hidden from a command's output on its way to the log and the terminal. It comes in
// chunks as the pipe delivers them, and a chunk may end inside a secret: what could
// still become one waits for the next chunk.

const MASK = "********";

export class Scrubber {
  private pending = "";
  private readonly longest: number;

  constructor(private readonly secrets: string[]) {
    this.longest = Math.max(0, ...secrets.map((secret) => secret.length));
  }

  /** `text` with every secret in it masked. */
  hide(text: string): string {
    return this.secrets.reduce((out, secret) => out.split(secret).join(MASK), text);
  }

  /** What can be written of the output so far, masked; the rest waits. */
  push(chunk: string): string {
    this.pending += chunk;
    // The last longest-1 characters could be a secret's start; a secret across the cut waits whole.
    let cut = Math.max(0, this.pending.length - Math.max(0, this.longest - 1));
    for (let moved = true; moved; ) {
      moved = false;
      for (const secret of this.secrets) {
        const at = cut === 0 ? -1 : this.pending.lastIndexOf(secret, cut - 1);
        if (at !== -1 && at + secret.length > cut) {
          cut = at;
          moved = true;
        }
      }
    }
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return this.hide(ready);
  }

  /** The output ended: what waited, masked. */
  flush(): string {
    const rest = this.hide(this.pending);
    this.pending = "";
    return rest;
  }
}
