import * as assert from "assert";
import { spawnSync } from "child_process";
import { Scrubber } from "../../resources/executor/scrub";

/** The log as the scrubber writes it when the output comes in these chunks. */
function logged(secrets: string[], chunks: string[]): string {
  const scrubber = new Scrubber(secrets);
  return chunks.map((chunk) => scrubber.push(chunk)).join("") + scrubber.flush();
}

describe("scrubbing a command's output for its log", () => {
  it("masks a secret split across chunks, at any split", () => {
    const output = "TASK [x] vault password is hunter2-vault, again hunter2-vault.\n";
    for (let at = 0; at <= output.length; at++) {
      for (let second = at; second <= output.length; second += 7) {
        const log = logged(["hunter2-vault", "os-pass"], [output.slice(0, at), output.slice(at, second), output.slice(second)]);
        assert.strictEqual(log, "TASK [x] vault password is ********, again ********.\n", `split at ${at} and ${second}`);
      }
    }
  });

  it("masks a multi-line secret, and secrets that start alike", () => {
    const key = "-----BEGIN KEY-----\nabc\n-----END KEY-----";
    assert.strictEqual(logged([key, "abcd"], ["x -----BEGIN KEY-----\na", "bc\n-----END", " KEY----- abcd ab", "c"]), "x ******** ******** abc");
  });

  it("writes what cannot be a secret's start at once, and holds back no more than a secret's length", () => {
    const scrubber = new Scrubber(["s3cret"]);
    assert.strictEqual(scrubber.push("line one\nline two s3c"), "line one\nline tw");
    assert.strictEqual(scrubber.push("ret and more"), "o ******** and");
    assert.strictEqual(scrubber.flush(), " more");
  });
});

describe("masking a secret printed escaped", () => {
  const secret = `Vault"Pw\\Zq'n 1$x/é`;
  /** What Python prints for `expression` of the secret (given on stdin). */
  const python = (expression: string) => spawnSync("python3", ["-c", `import sys, json, shlex, urllib.parse; s = sys.stdin.read(); sys.stdout.write(${expression})`], { input: secret, encoding: "utf8" }).stdout;
  const printed: Record<string, string> = {
    plain: secret,
    "JSON (JavaScript)": JSON.stringify({ password: secret }),
    "JSON (Python)": python("json.dumps({'password': s}, ensure_ascii=False)"),
    "Python repr": python("repr({'password': s})"),
    "Python repr, no single quote": python("repr(s.replace(\"'\", ''))"),
    "shell, single quotes": python("shlex.quote(s)"),
    "shell, backslashes (printf %q)": spawnSync("bash", ["-c", 'printf "%q" "$S"'], { env: { S: secret }, encoding: "utf8" }).stdout,
    "shell, double quotes": `"${secret.replace(/["\\$`]/g, "\\$&")}"`,
    "URL (JavaScript)": `https://u:${encodeURIComponent(secret)}@host/`,
    "URL (Python)": python("urllib.parse.quote(s, safe='')"),
    "form (Python)": python("urllib.parse.urlencode({'p': s})"),
  };
  for (const [how, text] of Object.entries(printed)) {
    it(`masks it printed as ${how}`, () => {
      assert.ok(text.length > 0);
      const log = logged([secret, secret.replace("'", "")], [`before ${text} after`]);
      assert.match(log, /\*{8}/, log);
      // What is left of the secret: nothing longer than a few characters of it.
      for (const piece of ["Vault", "Pw", "Zq"]) assert.ok(!log.includes(piece), `${piece} in ${log}`);
    });
  }
});
