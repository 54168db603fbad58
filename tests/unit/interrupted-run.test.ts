// What a full disk leaves in the local file backend, put right before the next command
// (scripts/interrupted-run.js, which bin/pulumi runs before up, preview and refresh).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SCRIPT = path.resolve(__dirname, "..", "..", "scripts", "interrupted-run.js");
const CHECKPOINT = JSON.stringify({ version: 3, checkpoint: { latest: { resources: [] } } });

function backend(files: Record<string, string>): { dir: string; state: string; locks: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cut-short-"));
  const state = path.join(dir, ".pulumi", "stacks", "kayobe-upgrade", "staging.json");
  const locks = path.join(dir, ".pulumi", "locks", "organization", "kayobe-upgrade", "staging");
  fs.mkdirSync(path.dirname(state), { recursive: true });
  fs.mkdirSync(locks, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, ".pulumi", name), text);
  return { dir, state, locks };
}

/** The script as bin/pulumi runs it before `command`; the CLI is never needed here. */
function repair(dir: string, command: string) {
  return spawnSync("node", [SCRIPT, "/bin/false", "staging", command], { env: { ...process.env, PULUMI_BACKEND_URL: `file://${dir}` }, encoding: "utf8" });
}

describe("a full disk's leftovers in the file backend", () => {
  it("puts back the last good checkpoint for a state file cut short, keeping the cut one aside, and removes a lock left unwritten", () => {
    const { dir, state, locks } = backend({ "stacks/kayobe-upgrade/staging.json": "", "stacks/kayobe-upgrade/staging.json.bak": CHECKPOINT });
    const unwritten = path.join(locks, "890ed505.json.18ebdf558cef290b.tmp");
    fs.writeFileSync(unwritten, "");
    fs.utimesSync(unwritten, new Date(Date.now() - 60000), new Date(Date.now() - 60000));
    const result = repair(dir, "preview");
    assert.strictEqual(result.status, 0, result.stderr);
    assert.strictEqual(fs.readFileSync(state, "utf8"), CHECKPOINT);
    const aside = fs.readdirSync(path.dirname(state)).filter((name) => name.startsWith("staging.json.cut-short-"));
    assert.deepStrictEqual(aside.map((name) => fs.statSync(path.join(path.dirname(state), name)).size), [0]);
    assert.ok(!fs.existsSync(unwritten));
    assert.strictEqual(
      result.stderr,
      `kayobe-upgrade: stack staging: its state file was cut short (a full disk?): put back the last good checkpoint, ${state}.bak (the cut one is kept as ${path.join(path.dirname(state), aside[0])}); a step whose record was being written then runs again\n` +
        `kayobe-upgrade: stack staging: removed a lock file whose writing failed (a full disk?): ${unwritten}\n`,
    );
  });

  it("runs nothing when no good checkpoint is left, and leaves the files as they are", () => {
    const { dir, state } = backend({ "stacks/kayobe-upgrade/staging.json": '{"version": 3, "checkp', "stacks/kayobe-upgrade/staging.json.bak": "" });
    const result = repair(dir, "up");
    assert.strictEqual(result.status, 2);
    assert.match(result.stderr, /^kayobe-upgrade: stack staging: its state file \S+staging\.json is cut short or damaged \(a full disk\?\), and there is no good \S+staging\.json\.bak to put back: nothing runs\./);
    assert.strictEqual(fs.readFileSync(state, "utf8"), '{"version": 3, "checkp');
  });

  it("leaves a lock file being written now, and a good state, alone", () => {
    const { dir, state, locks } = backend({ "stacks/kayobe-upgrade/staging.json": CHECKPOINT });
    const writing = path.join(locks, "1234.json.abcd.tmp");
    fs.writeFileSync(writing, "");
    const result = repair(dir, "preview");
    assert.deepStrictEqual([result.status, result.stderr], [0, ""]);
    assert.ok(fs.existsSync(writing));
    assert.strictEqual(fs.readFileSync(state, "utf8"), CHECKPOINT);
  });
});
