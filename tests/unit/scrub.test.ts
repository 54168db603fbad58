import * as assert from "assert";
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
