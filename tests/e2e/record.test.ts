import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { StackStatus } from "../../resources/report/status";
import { planOf } from "./expected-calls";
import { REAL_KAYOBE, Workspace } from "./workspace";

// The record outside the checkout: an upgrade recorded where earlier versions kept it
// (.pulumi-state/ and .kayobe-upgrade/logs/ in the checkout) moves out, saying so, and a
// `git clean -fdx` of the checkout then leaves it: no step runs again.
describe("the record of an upgrade, outside the tool's checkout, through the real engine", function () {
  const ws = new Workspace();
  const stack = "staging";
  const plan = planOf(ws.root);
  const record = path.join(path.dirname(ws.root), "state-home", "kayobe-upgrade");
  // An operator's defaults: the file backend and the record where bin/pulumi puts them.
  const operator = { PULUMI_BACKEND_URL: "", KAYOBE_UPGRADE_RECORD: "", XDG_STATE_HOME: path.dirname(record) };
  const git = (...args: string[]) => spawnSync("git", args, { cwd: ws.root, encoding: "utf8" });

  before(() => {
    // The upgrade done as earlier versions laid its record out: the file backend in .pulumi-state/, the logs in .kayobe-upgrade/logs/.
    const earlier = { PULUMI_BACKEND_URL: `file://${ws.file(".pulumi-state")}`, KAYOBE_UPGRADE_RECORD: ".kayobe-upgrade" };
    fs.mkdirSync(ws.file(".pulumi-state"));
    ws.pulumi(["stack", "select", "--create", stack], { env: earlier });
    ws.pulumi(["up", "--yes", "--stack", stack], { env: earlier });
    assert.ok(fs.existsSync(ws.file(`.kayobe-upgrade/logs/${stack}/steps.jsonl`)));
  });

  it("moves a record found in the checkout out of it, saying where, and runs no step again", () => {
    const calls = ws.calls(stack).length;
    const { stdout, stderr } = ws.pulumi(["up", "--yes", "--stack", stack], { env: operator });
    const said = stderr.split("\n");
    const moved = said.indexOf("kayobe-upgrade: moved the record found in this checkout out of it, where git clean cannot take it:");
    assert.deepStrictEqual(said.slice(moved + 1, moved + 3), [`  ${ws.file(".pulumi-state")} -> ${record}/state`, `  ${ws.file(`.kayobe-upgrade/logs/${stack}`)} -> ${record}/logs/${stack}`], stderr);
    assert.deepStrictEqual([".pulumi-state", ".kayobe-upgrade/logs"].filter((old) => fs.existsSync(ws.file(old))), [], "nothing left behind");
    assert.ok(fs.existsSync(path.join(record, "state", ".pulumi", "stacks", "kayobe-upgrade", `${stack}.json`)), "the stack's state in the record");
    // Every run says where its record is.
    assert.match(stdout, new RegExp(`the record: state file://${record}/state, logs ${record}/logs/${stack}, status page ${ws.file(`.kayobe-upgrade/${stack}/status.html`)}`));
    assert.strictEqual(/^ +(\d+) unchanged$/m.exec(stdout)?.[1], String(plan.length + new Set(plan.map((m) => m.phase)).size + 1), "every milestone, phase and the stack unchanged");
    assert.strictEqual(ws.calls(stack).length, calls, "no kayobe command ran");
  });

  it("keeps the record through git clean -fdx of the checkout: no step runs again, and bin/status reads it", () => {
    const clean = git("clean", "-fdx", "-q");
    assert.strictEqual(clean.status, 0, clean.stderr);
    // It leaves folders of other repositories (the sample kayobe-config, the source release's worktree), without -f twice.
    assert.deepStrictEqual([`.kayobe-upgrade/${stack}/status.html`, ".kayobe-upgrade/pulumi-home", REAL_KAYOBE].filter((made) => fs.existsSync(ws.file(made))), [], "git clean took what the checkout had made");
    assert.ok(fs.existsSync(ws.file(`Pulumi.${stack}.yaml`)), "the stack file is committed");
    ws.setUp();
    const { stdout } = ws.pulumi(["up", "--yes", "--stack", stack], { env: operator });
    assert.match(stdout, /^ +\d+ unchanged$/m);
    assert.deepStrictEqual(ws.calls(stack), [], "no kayobe command ran");
    const status = JSON.parse(ws.status([stack, "--json"], { env: operator }).stdout) as StackStatus;
    assert.deepStrictEqual([status.done, status.total, status.current], [plan.length, plan.length, undefined]);
    assert.ok(fs.readdirSync(path.join(record, "logs", stack)).filter((name) => name.endsWith(".log")).length >= plan.length, "the logs of every step");
  });

  it("refuses to run while the checkout holds another record of the same, naming both", () => {
    const shadow = ws.file(".pulumi-state/.pulumi/stacks/kayobe-upgrade");
    fs.mkdirSync(shadow, { recursive: true });
    fs.writeFileSync(path.join(shadow, `${stack}.json`), "{}");
    const { code, stderr } = ws.pulumi(["stack", "ls"], { env: operator, expectFailure: true });
    assert.strictEqual(code, 2);
    assert.match(stderr, /^kayobe-upgrade: refusing to run: this checkout holds a record from before records moved out of checkouts,$/m);
    assert.ok(stderr.includes(`\n  ${ws.file(".pulumi-state")}\n  and ${record}/state\n`), stderr);
    assert.ok(fs.existsSync(path.join(shadow, `${stack}.json`)), "the checkout's left as it was");
    assert.ok(JSON.parse(fs.readFileSync(path.join(record, "state", ".pulumi", "stacks", "kayobe-upgrade", `${stack}.json`), "utf8")).checkpoint, "the record's left as it was");
    fs.rmSync(ws.file(".pulumi-state"), { recursive: true });
  });

  it("warns while an operator's stack file is not committed, which git clean would delete", () => {
    fs.copyFileSync(ws.file("Pulumi.staging.yaml"), ws.file("Pulumi.site.yaml"));
    const warning = "kayobe-upgrade: Pulumi.site.yaml, the stack's settings, is not committed: git clean would delete it. Commit it (README: Where the record lives).";
    // No stack of that name in the backend: pulumi refuses after the warning.
    assert.ok(ws.pulumi(["preview", "--stack", "site"], { env: operator, expectFailure: true }).stderr.split("\n").includes(warning));
    assert.ok(!ws.pulumi(["config", "--stack", "site"], { env: operator, expectFailure: true }).stderr.includes(warning), "said before a run, not at each config command");
    git("add", "Pulumi.site.yaml");
    git("-c", "user.name=e2e", "-c", "user.email=e2e@localhost", "commit", "-q", "-m", "the site's stack");
    assert.ok(!ws.pulumi(["preview", "--stack", "site"], { env: operator, expectFailure: true }).stderr.includes(warning));
  });
});
