// Secrets hidden from a command's output on its way to the log and the terminal. It comes in
// chunks as the pipe delivers them, and a chunk may end inside a secret: what could
// still become one waits for the next chunk.

const MASK = "********";

/** Percent-encoded as by encodeURIComponent (JavaScript) and by urllib's quote(safe="") (Python), which also encodes !'()*. */
function urlForms(text: string): string[] {
  const js = encodeURIComponent(text);
  const python = js.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return [js, python, python.replace(/%20/g, "+")].flatMap((form) => [form, form.replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase())]);
}

/** Python's repr of a str, between its quotes: a secret in a dict or a list printed by Ansible or kayobe. */
function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const named: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", [quote]: `\\${quote}` };
  return [...text].map((c) => named[c] ?? (c < " " || c === "\x7f" ? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}` : c)).join("");
}

/** Inside bash's $'...' (printf %q of a string with a byte it cannot print as it is). */
function ansiC(text: string): string {
  const named: Record<number, string> = { 9: "\\t", 10: "\\n", 13: "\\r", 39: "\\'", 92: "\\\\" };
  return [...Buffer.from(text)].map((b) => named[b] ?? (b < 32 || b > 126 ? `\\${b.toString(8).padStart(3, "0")}` : String.fromCharCode(b))).join("");
}

/**
 * A secret as a program may print it escaped: in JSON, Python's repr, shell quoting
 * (double quotes, single quotes, backslashes) and URL encoding.
 */
export function escapedForms(secret: string): string[] {
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    pythonRepr(secret),
    secret.replace(/["\\$`]/g, "\\$&"),
    secret.replace(/'/g, "'\\''"),
    secret.replace(/'/g, `'"'"'`),
    ansiC(secret),
    secret.replace(/[^\w@%+=:,./-]/g, "\\$&"),
    ...urlForms(secret),
  ];
  return [...new Set(forms)];
}

export class Scrubber {
  private pending = "";
  private readonly longest: number;
  private readonly secrets: string[];

  constructor(secrets: string[]) {
    // Longest first: a form that contains another is masked whole.
    this.secrets = [...new Set(secrets.flatMap(escapedForms))].sort((a, b) => b.length - a.length);
    this.longest = Math.max(0, ...this.secrets.map((secret) => secret.length));
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
