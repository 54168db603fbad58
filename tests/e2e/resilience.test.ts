// An upgrade that fails, is interrupted or meets a closed maintenance window loses
// nothing and resumes, on the real engine.
import * as assert from "assert";
import * as fs from "fs";
import { expectedCalls, planOf } from "./expected-calls";
import { Workspace } from "./workspace";

interface StateResource {
  urn: string;
  type: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The milestones a stack has recorded as done, and whether the state holds operations left pending. */
function recorded(ws: Workspace, stack: string): { done: string[]; pending: number } {
  const deployment = JSON.parse(ws.exportState(stack)).deployment;
  return {
    done: deployment.resources.filter((r: StateResource) => r.type.endsWith(":Milestone")).map((r: StateResource) => r.urn.split("::").pop()),
    pending: (deployment.pending_operations ?? []).length,
  };
}

describe("resuming after a failure at every milestone of the shipped staging stack", function () {
  const ws = new Workspace();
  const stack = "staging";
  const plan = planOf(ws.root);
  const callsOf = (index: number) => expectedCalls([plan[index]]);
  // On the source release's branch (site/2023.1), as StackHPC's script is only on stackhpc/2023.1.
  const migrationScript = ws.kayobeConfig("tools/rabbitmq-quorum-migration.sh");
  let scriptBroken = false;

  const every = expectedCalls(plan);
  /** Which of milestone `index`'s calls to fail: its first that no other milestone makes (a look may be made again by the script it guards). */
  const failingCall = (index: number) => Math.max(0, callsOf(index).findIndex((call) => every.filter((other) => other === call).length === 1));

  /**
   * What makes milestone `index` fail: a kayobe call of its own, a node in a wait state
   * for the Ironic check, a script that is not executable for the preflight.
   */
  function failureAt(index: number): Record<string, string> {
    if (plan[index].name === "ironic-wait-state-check") return { KAYOBE_SIM_IRONIC_NODES: "bm-01=active,bm-02=wait call-back" };
    if (plan[index].name === "preflight") {
      ws.commitOnSourceBranch("the migration script loses its execute bit", () => fs.chmodSync(migrationScript, 0o644));
      scriptBroken = true;
      return {};
    }
    // Smoke tests call the Ironic client stand-in, which fails on demand too.
    const configPath = plan[index].side === "source" ? ws.file(`.kayobe-upgrade/${stack}/source-kayobe-config/etc/kayobe`) : ws.kayobeConfig("etc/kayobe");
    const call = (callsOf(index)[failingCall(index)] ?? "baremetal node list").split("$KAYOBE_CONFIG_PATH").join(configPath).split("$WORK").join(ws.file(`.kayobe-upgrade/${stack}`));
    return { KAYOBE_SIM_FAIL: `^${escape(call)}$` };
  }

  before(() => ws.stack(stack));

  it("fails each milestone in turn; each next run repeats no completed milestone and starts with the failed one", () => {
    for (let index = 0; index <= plan.length; index++) {
      const before = ws.calls(stack).length;
      if (index < plan.length) {
        const failing = callsOf(index)[failingCall(index)];
        if (failing !== undefined) assert.strictEqual(every.filter((call) => call === failing).length, 1, `${failing} is unique, so failing it fails ${plan[index].name} only`);
        const { stdout } = ws.pulumi(["up", "--yes", "--skip-preview", "--stack", stack], { env: failureAt(index), expectFailure: true });
        if (scriptBroken) {
          ws.commitOnSourceBranch("the migration script is executable again", () => fs.chmodSync(migrationScript, 0o755));
          scriptBroken = false;
        }
        assert.match(stdout, new RegExp(`${escape(plan[index].name)}[\\s\\S]*(exited with code [12]|Ironic nodes in a wait state|is not executable)`), plan[index].name);
      } else {
        ws.pulumi(["up", "--yes", "--skip-preview", "--stack", stack]);
      }
      const ran = ws.calls(stack).slice(before);
      // The milestone that failed last time runs whole; then the next one starts and fails.
      const expected = [...(index > 0 ? callsOf(index - 1) : []), ...(index < plan.length ? callsOf(index).slice(0, failingCall(index) + 1) : [])];
      assert.deepStrictEqual(ran, expected, `run ${index}`);
      const state = recorded(ws, stack);
      assert.deepStrictEqual(state.done, plan.slice(0, index).map((m) => m.name), `recorded after run ${index}`);
      assert.strictEqual(state.pending, 0);
    }
  });
});

describe("interruptions and timeouts", function () {
  const ws = new Workspace();
  const stack = "staging";
  const slow = { KAYOBE_SIM_SLEEP: "120", KAYOBE_SIM_SLEEP_MATCH: "^control host upgrade$" };
  const plan = planOf(ws.root);
  const upTo = (name: string) => plan.slice(0, plan.findIndex((m) => m.name === name)).map((m) => m.name);

  before(() => ws.stack(stack));

  for (const [how, signal, group] of [
    ["Ctrl-C", "SIGINT", true],
    ["SIGTERM", "SIGTERM", false],
  ] as const) {
    it(`${how} during a step ends kayobe within seconds, keeps the state consistent, and the next run goes on`, async () => {
      const before = ws.calls(stack).length;
      const run = ws.start(["up", "--yes", "--stack", stack], { env: slow });
      await ws.callStarted(stack, /^control host upgrade$/, before);
      const sent = Date.now();
      process.kill(group ? -run.child.pid! : run.child.pid!, signal);
      const code = await run.exited;
      const took = Date.now() - sent;
      assert.notStrictEqual(code, 0);
      assert.ok(took < 20000, `pulumi ended ${took} ms after the signal`);
      const ended = ws.journal(stack).filter((e) => e.event === "end" && e.argv.join(" ") === "control host upgrade");
      assert.deepStrictEqual(ended.map((e) => e.exit).slice(-1), [143], "kayobe was ended (SIGTERM), not left running");
      assert.match(run.output(), /control-host-upgrade.*interrupted by SIGINT; the milestone stays pending and runs again next time/);
      assert.deepStrictEqual(recorded(ws, stack), { done: upTo("control-host-upgrade"), pending: 0 });
    });
  }

  it("runs the interrupted milestone again and completes, with no manual state surgery", () => {
    const before = ws.calls(stack).length;
    ws.pulumi(["up", "--yes", "--stack", stack], { env: { KAYOBE_SIM_FAIL: "^playbook run .*pulp-repo-sync.yml$" }, expectFailure: true });
    assert.deepStrictEqual(ws.calls(stack).slice(before), ["control host upgrade", "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-repo-sync.yml"]);
  });

  it("stops a milestone that outlives kayobe-upgrade:milestoneTimeout", () => {
    ws.setConfig(stack, "milestoneTimeout", "3s");
    const started = Date.now();
    const { stdout } = ws.pulumi(["up", "--yes", "--stack", stack], { env: { KAYOBE_SIM_SLEEP: "120", KAYOBE_SIM_SLEEP_MATCH: "pulp-repo-sync" }, expectFailure: true });
    assert.ok(Date.now() - started < 90000);
    assert.match(stdout, /kayobe playbook run \$KAYOBE_CONFIG_PATH\/ansible\/pulp-repo-sync.yml: the milestone's time \(kayobe-upgrade:milestoneTimeout\) ran out/);
    assert.strictEqual(recorded(ws, stack).pending, 0);
  });

  it("refuses a second up on the same stack while one runs, and nothing runs twice", async () => {
    ws.setConfig(stack, "milestoneTimeout", "12h");
    const started = ws.calls(stack).length;
    const first = ws.start(["up", "--yes", "--stack", stack], { env: { KAYOBE_SIM_SLEEP: "8", KAYOBE_SIM_SLEEP_MATCH: "pulp-repo-sync" } });
    await ws.callStarted(stack, /pulp-repo-sync.yml$/, started);
    const before = ws.calls(stack).length;
    const second = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    assert.match(second.stdout + second.stderr, /the stack is currently locked/);
    assert.strictEqual(ws.calls(stack).length, before, "the second up ran no kayobe command");
    assert.strictEqual(await first.exited, 0, first.output());
    const calls = ws.calls(stack);
    assert.strictEqual(calls.filter((c) => c === "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-container-sync.yml").length, 1);
  });
});

describe("the maintenance window", function () {
  const ws = new Workspace();
  const stack = "staging";
  const migration = /^overcloud service configuration generate --node-config-dir \/etc\/kolla/;

  before(() => {
    ws.stack(stack);
    ws.setConfig(stack, "maintenanceWindow", "closed");
  });

  it("lists at preview the pending steps that cause an API outage", () => {
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    // Each provider message shows twice: as it comes, and among the diagnostics.
    const listed = [...new Set([...stdout.matchAll(/pending, and needs a maintenance window: (\S+):/g)].map((m) => m[1]))];
    assert.deepStrictEqual(listed, ["rabbitmq-quorum-migration", "overcloud-host-package-update-stg-ctl-01", "overcloud-host-package-update-stg-ctl-02", "overcloud-host-package-update-stg-ctl-03", "overcloud-service-upgrade"]);
  });

  it("runs the steps before the first outage and refuses the outage itself", () => {
    const { stdout } = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    assert.match(stdout, /rabbitmq-quorum-migration: this step causes an API outage and runs only inside a maintenance window \(kayobe-upgrade:maintenanceWindow is closed\)/);
    assert.ok(ws.calls(stack).some((c) => c === "kolla ansible run rabbitmq-upgrade 3.13"), "the SLURP upgrade (at risk) ran");
    assert.ok(!ws.calls(stack).some((c) => migration.test(c)), "the migration did not run");
  });

  it("refuses outside a scheduled window and runs inside it", () => {
    ws.setConfig(stack, "maintenanceWindow", "2020-01-01T00:00Z/2020-01-01T04:00Z");
    const { stdout } = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    assert.match(stdout, /maintenanceWindow is 2020-01-01T00:00:00.000Z\/2020-01-01T04:00:00.000Z, not 20\d\d-/);
    ws.setConfig(stack, "maintenanceWindow", `${new Date(Date.now() - 3600000).toISOString()}/${new Date(Date.now() + 3 * 3600000).toISOString()}`);
    ws.pulumi(["up", "--yes", "--stack", stack], { env: { KAYOBE_SIM_FAIL: "^control host upgrade$" }, expectFailure: true });
    assert.ok(ws.calls(stack).some((c) => migration.test(c)), "the migration ran inside the window");
  });
});

describe("secrets", function () {
  const ws = new Workspace();
  const stack = "staging";
  const vault = "sample-vault-password-staging";
  const cloud = "os-password-Xq93-secret";

  it("never appear in the state, the journal, the logs, the output or an error", () => {
    ws.stack(stack);
    ws.pulumi(["config", "set", "--secret", "--path", "kayobe-upgrade:kayobeSecretEnv.OS_PASSWORD", cloud, "--stack", stack]);
    const outputs = [
      ws.pulumi(["preview", "--stack", stack]),
      ws.pulumi(["up", "--yes", "--stack", stack], { env: { KAYOBE_SIM_FAIL: "^playbook run .*pulp-container-sync.yml$" }, expectFailure: true }),
      ws.pulumi(["up", "--yes", "--stack", stack]),
    ].map((r) => r.stdout + r.stderr);
    const journal = fs.readFileSync(ws.file(`.kayobe-upgrade/${stack}/kayobe-journal.jsonl`), "utf8");
    const places = { state: ws.exportState(stack), journal, logs: ws.logs(stack), output: outputs.join("\n") };
    const found = Object.entries(places).flatMap(([place, text]) => [vault, cloud].filter((secret) => text.includes(secret)).map((secret) => `${secret} in ${place}`));
    assert.deepStrictEqual(found, []);
    // kayobe did get both, so the places above could have shown them.
    assert.strictEqual(JSON.parse(journal.split("\n")[0]).env.KAYOBE_VAULT_PASSWORD, "<set>");
    assert.match(ws.pulumi(["config", "get", "kayobe-upgrade:kayobeSecretEnv", "--stack", stack]).stdout, new RegExp(cloud));
  });
});
