import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { StackStatus } from "../../resources/report/status";
import { dumpDom, pixelColours } from "./chromium";
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
    const backend = ws.environment().PULUMI_BACKEND_URL!;
    assert.deepStrictEqual(tail.slice(-4), [`  logs ${ws.file(`.kayobe-upgrade/logs/${stack}`)}`, `  state ${backend}`, `  status page ${ws.file(`.kayobe-upgrade/${stack}`)}/`, "      status.html"]);
    assert.doesNotMatch(diagnostics(failed.stdout), /^ {4}\[[^\]]+\] /m, "no streamed line is repeated in Diagnostics");
    assert.match(failed.stdout, /error: kayobe overcloud service upgrade: exited with code 2/);
  });

  it("reads the state right after the failed run: the failed step with its log, each phase, N of M", () => {
    const { stdout } = ws.status([stack]);
    const lines = stdout.trimEnd().split("\n");
    assert.strictEqual(lines[0], `${stack}: ${failing} of ${plan.length} steps done, upgrading to 2024.1`);
    const failedAt = lines.findIndex((line) => line.startsWith("FAILED "));
    // The pending steps never ran here: no record, so each counts as the median step.
    assert.match(
      lines.slice(1, failedAt).join("").replace(/ +/g, " "),
      new RegExp(`^${plan.length - failing} steps pending, estimated \\d+s, of which \\d+s inside the maintenance window \\(API outage\\); ${plan.length - failing} with no record, counted at the median step$`),
    );
    assert.strictEqual(lines[failedAt], `FAILED [${failing + 1}/${plan.length}] overcloud-service-upgrade: ${plan[failing].title}`);
    assert.strictEqual(lines[failedAt + 1], "  kayobe overcloud service upgrade: exited with code 2");
    const phases = [...new Set(plan.map((m) => m.phase))];
    assert.deepStrictEqual(lines.slice(-2), [`status page ${ws.file(`.kayobe-upgrade/${stack}`)}/`, "    status.html"]);
    assert.deepStrictEqual(
      lines.slice(-phases.length - 2, -2).map((line) => line.trim().split(/\s{2,}/)[1]),
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

  it("keeps a status page that Chromium shows with the failed step, each phase's progress and the graph coloured by state", () => {
    const page = ws.file(`.kayobe-upgrade/${stack}/status.html`);
    const dom = dumpDom(page);
    assert.match(dom, new RegExp(`<p id="headline">${failing} of ${plan.length} steps done\\. ${plan.length - failing} steps pending, estimated `));
    const current = new RegExp(`<p id="current"><span class="failed">failed</span> \\[${failing + 1}/${plan.length}\\] overcloud-service-upgrade: kayobe overcloud service upgrade: exited with code 2 \\(log <a class="log" href="file://([^"]+)">`).exec(dom);
    assert.ok(current && fs.existsSync(current[1]), "the failed step's log, linked");
    const overcloud = plan.filter((m) => m.phase === "Upgrading the Overcloud");
    assert.match(dom, new RegExp(`<tr data-phase="Upgrading the Overcloud"><td>Upgrading the Overcloud</td><td class="failed">failed</td><td>${overcloud.findIndex((m) => m.name === "overcloud-service-upgrade")}/${overcloud.length}</td>`));
    assert.strictEqual((dom.match(/<g class="milestone done"/g) ?? []).length, failing);
    assert.strictEqual((dom.match(/<g class="milestone pending"/g) ?? []).length, plan.length - failing - 1);
    assert.match(dom, /<tr data-step="container-image-pull">.*<code>kayobe overcloud container image pull<\/code>/);
    // What it shows: the failed step's red and the done steps' green are on the screen.
    const colours = pixelColours(page, 3600, 1600);
    assert.ok((colours.get("#ffcdd2") ?? 0) > 1000 && (colours.get("#c8e6c9") ?? 0) > 1000, [...colours].sort((a, b) => b[1] - a[1]).slice(0, 8).join(" "));
  });

  it("shows every step done once the upgrade completes", () => {
    ws.pulumi(["up", "--yes", "--stack", stack]);
    const json = JSON.parse(ws.status(["--json"]).stdout) as StackStatus;
    assert.deepStrictEqual([json.stack, json.done, json.total, json.current], [stack, plan.length, plan.length, undefined]);
    assert.ok(json.phases.every((p) => p.state === "done"));
  });

  it("shows a changed command as one line in preview --diff", () => {
    ws.setConfig(stack, "serviceUpgradeTags", "config");
    const { stdout } = ws.pulumi(["preview", "--diff", "--stack", stack]);
    ws.pulumi(["config", "rm", "kayobe-upgrade:serviceUpgradeTags", "--stack", stack]);
    const at = stdout.indexOf("[id=overcloud-service-upgrade]");
    const commands = stdout.slice(stdout.indexOf("~ commands", at), stdout.indexOf("execution", at)).trimEnd().split("\n");
    assert.deepStrictEqual(commands.map((line) => line.trim().replace(/ +/g, " ")), ["~ commands : [", '~ [0]: "kayobe overcloud service upgrade" => "kayobe overcloud service upgrade --tags config"', "]"], stdout.slice(at, at + 2000));
  });

  it("refresh re-checks the kayobe-config and says which steps a change makes pending, running none", () => {
    const tags = ws.kayobeConfig("etc/kayobe/kolla-image-tags.yml");
    const original = fs.readFileSync(tags, "utf8");
    fs.writeFileSync(tags, original.replace("openstack:\n    rocky-9: 2024.1-rocky-9-20240823T101116", "openstack:\n    rocky-9: 2024.1-rocky-9-20241001T000000"));
    ws.commit("a new image tag");
    const before = ws.calls(stack).length;
    const { stderr } = ws.pulumi(["refresh", "--yes", "--stack", stack]);
    const said = stderr.slice(stderr.indexOf("kayobe-upgrade: refresh re-checked")).split("\n");
    assert.strictEqual(said[0], `kayobe-upgrade: refresh re-checked stack "${stack}":`);
    assert.match(said[1], /^  kayobe-config: CHANGED from commit [0-9a-f]{12} on site\/2024\.1, clean \(/);
    assert.strictEqual(said[3], "  release: kayobe evaluates 2024.1, as the recorded steps reached");
    assert.strictEqual(said[4], `  7 of ${plan.length} recorded steps no longer match the plan, and run again at the next up:`);
    assert.deepStrictEqual(said.slice(5, 12).map((line) => line.trim()).sort(), ["container-image-pull", "ironic-wait-state-check", "overcloud-container-image-build", "overcloud-service-upgrade", "pulp-container-sync", "seed-container-image-build", "seed-service-upgrade"]);
    assert.strictEqual(ws.calls(stack).length, before, "refresh ran no kayobe command");
    fs.writeFileSync(tags, original);
    ws.commit("the image tag back");
  });

  it("does not start an outage step that cannot finish before the scheduled window closes, saying why", () => {
    // As if overcloud-service-upgrade had taken two hours on the cloud: its record's start, two hours before its end.
    const exported = JSON.parse(ws.exportState(stack)) as { deployment: { resources: { urn: string; outputs?: Record<string, unknown> }[] } };
    const outputs = exported.deployment.resources.find((r) => r.urn.endsWith("::overcloud-service-upgrade"))!.outputs!;
    outputs.startedAt = new Date(Date.parse(String(outputs.completedAt)) - 2 * 3600 * 1000).toISOString();
    const edited = path.join(path.dirname(ws.root), "two-hour-step.json");
    fs.writeFileSync(edited, JSON.stringify(exported));
    ws.pulumi(["stack", "import", "--stack", stack, "--file", edited]);
    // Inside the window, which closes in an hour; the step runs again for a changed command.
    const now = Date.now();
    const [start, end] = [now - 3600 * 1000, now + 3600 * 1000].map((t) => new Date(t).toISOString());
    ws.setConfig(stack, "maintenanceWindow", `${start}/${end}`);
    ws.setConfig(stack, "serviceUpgradeTags", "config");
    const before = ws.calls(stack).length;
    const refused = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    // The preflight checks the changed command first, in seconds.
    assert.match(refused.stdout, /estimate: 2 steps pending, estimated 2h 00m, of which 2h 00m inside the maintenance window \(API outage\)/);
    assert.match(
      refused.stdout,
      new RegExp(
        `error: overcloud-service-upgrade: this step causes an API outage and is estimated to take 2h 00m \\(2h 24m with a 20% margin\\), ` +
          `but the maintenance window \\(kayobe-upgrade:maintenanceWindow ${start}/${end}\\) closes in (59m \\d\\ds|1h 00m): it is not started; run it in the next window`,
      ),
    );
    assert.deepStrictEqual(ws.calls(stack).slice(before), [], "no kayobe command ran: the outage step was not started");
  });

  it("refuses destroy until the stack's own name confirms it, then forgets the steps", () => {
    const milestones = () => ((JSON.parse(ws.exportState(stack)).deployment.resources ?? []) as { type: string }[]).filter((r) => r.type.endsWith(":Milestone")).length;
    const refused = ws.pulumi(["destroy", "--yes", "--stack", stack], { expectFailure: true });
    assert.strictEqual(refused.code, 2);
    assert.match(refused.stderr, /^kayobe-upgrade: refusing to destroy stack "staging": destroy only forgets the completed steps\.$/m);
    assert.match(refused.stderr, /^ {2}bin\/pulumi config set kayobe-upgrade:forgetCompletedSteps staging --stack staging$/m);
    assert.strictEqual(milestones(), plan.length);
    ws.setConfig(stack, "forgetCompletedSteps", stack);
    ws.pulumi(["destroy", "--yes", "--stack", stack]);
    assert.strictEqual(milestones(), 0);
  });
});
