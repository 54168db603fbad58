import * as assert from "assert";
import * as fs from "fs";
import type { StackStatus } from "../../resources/report/status";
import { planOf } from "./expected-calls";
import { Result, Workspace } from "./workspace";

/** The Diagnostics section Pulumi prints at the end of a run. */
function diagnostics(stdout: string): string {
  const from = stdout.lastIndexOf("\nDiagnostics:\n");
  assert.ok(from >= 0, "Pulumi printed Diagnostics");
  return stdout.slice(from, stdout.indexOf("\nResources:", from));
}

describe("in the window: progress, the end of a run and the status, through the real engine", function () {
  const ws = new Workspace();
  const stack = "staging";
  const plan = planOf(ws.root);
  const failing = plan.findIndex((m) => m.name === "overcloud-service-upgrade");
  const position = (name: string) => `${plan.findIndex((m) => m.name === name) + 1}/${plan.length}`;
  let failed: Result;

  before(() => {
    ws.stack(stack);
    failed = ws.pulumi(["up", "--yes", "--stack", stack], { env: { KAYOBE_SIM_FAIL: "overcloud service upgrade" }, expectFailure: true });
  });

  it("shows each step's position, exact command, log and duration, and its output's tail, within 80 columns", () => {
    const lines = failed.stderr.split("\n").filter((line) => line.startsWith("["));
    assert.deepStrictEqual(lines.filter((line) => line.length > 80), []);
    const at = `[${position("container-image-pull")}]`;
    const own = lines.filter((line) => line.startsWith(`${at} `));
    assert.strictEqual(own[0], `${at} container-image-pull: ${plan.find((m) => m.name === "container-image-pull")!.title}`);
    // The log's path, wrapped between folders: its lines' text joined.
    const logLines = own.slice(1, own.findIndex((line) => line.startsWith(`${at} $ `)));
    const log = logLines.map((line, i) => line.slice(i === 0 ? `${at} log `.length : `${at}     `.length)).join("");
    assert.ok(fs.existsSync(log), `the log named exists: ${log}`);
    assert.ok(own.includes(`${at} $ kayobe overcloud container image pull`), own.join("\n"));
    assert.match(own[own.length - 1], new RegExp(`^\\[${position("container-image-pull")}\\] container-image-pull done in \\d+s$`));
    // The tail: ansible's last words (the recap), not its first.
    const output = own.filter((line) => line.startsWith(`${at}   `));
    assert.ok(output.some((line) => /^\[[^\]]+\]   stg-\S+ +: ok=/.test(line)), output.join("\n"));
  });

  it("ends the run with a summary, and keeps the stream out of Pulumi's Diagnostics", () => {
    const tail = failed.stderr.slice(failed.stderr.lastIndexOf("\nkayobe-upgrade: ") + 1).trimEnd().split("\n");
    assert.strictEqual(tail[0], `kayobe-upgrade: ${failing} steps done, 1 failed in this run`);
    assert.match(tail.find((line) => line.startsWith("  FAILED")) ?? "", new RegExp(`^  FAILED \\[${failing + 1}/${plan.length}\\] overcloud-service-upgrade after \\d+s$`));
    assert.ok(tail.includes("    kayobe overcloud service upgrade: exited with code 2"), tail.join("\n"));
    assert.strictEqual(tail[tail.length - 1], `  logs ${ws.file(`.kayobe-upgrade/logs/${stack}`)}`);
    assert.doesNotMatch(diagnostics(failed.stdout), /^ {4}\[[^\]]+\] /m, "no streamed line is repeated in Diagnostics");
    assert.match(failed.stdout, /error: kayobe overcloud service upgrade: exited with code 2/);
  });

  it("reads the state right after the failed run: the failed step with its log, each phase, N of M", () => {
    const { stdout } = ws.status([stack]);
    const lines = stdout.trimEnd().split("\n");
    assert.strictEqual(lines[0], `${stack}: ${failing} of ${plan.length} steps done, upgrading to 2024.1`);
    assert.strictEqual(lines[1], `FAILED [${failing + 1}/${plan.length}] overcloud-service-upgrade: ${plan[failing].title}`);
    assert.strictEqual(lines[2], "  kayobe overcloud service upgrade: exited with code 2");
    const phases = [...new Set(plan.map((m) => m.phase))];
    assert.deepStrictEqual(
      lines.slice(-phases.length).map((line) => line.trim().split(/\s{2,}/)[1]),
      phases,
      "phases in the runbook's order",
    );
    assert.deepStrictEqual(lines.filter((line) => line.length > 80), []);
    const json = JSON.parse(ws.status([stack, "--json"]).stdout) as StackStatus;
    assert.deepStrictEqual([json.done, json.total, json.current?.name, json.current?.state], [failing, plan.length, "overcloud-service-upgrade", "failed"]);
    assert.ok(fs.existsSync(json.current!.log!), "the failed step's log exists");
    assert.deepStrictEqual(json.steps.map((s) => s.name), plan.map((m) => m.name));
    assert.deepStrictEqual(json.steps.map((s) => s.state), plan.map((_, i) => (i < failing ? "done" : i === failing ? "failed" : "pending")));
    const overcloud = json.phases.find((p) => p.phase === "Upgrading the Overcloud")!;
    assert.deepStrictEqual([overcloud.state, overcloud.total], ["failed", plan.filter((m) => m.phase === "Upgrading the Overcloud").length]);
  });

  it("shows every step done once the upgrade completes", () => {
    ws.pulumi(["up", "--yes", "--stack", stack]);
    const json = JSON.parse(ws.status(["--json"]).stdout) as StackStatus;
    assert.deepStrictEqual([json.stack, json.done, json.total, json.current], [stack, plan.length, plan.length, undefined]);
    assert.ok(json.phases.every((p) => p.state === "done"));
  });
});
