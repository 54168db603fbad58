import * as assert from "assert";
import type { UntilHealthy } from "../../resources/runbook/phases";
import { planOf } from "./expected-calls";
import { Workspace } from "./workspace";

interface Outputs {
  commandsRun: { command: string; exitCode: number; decision?: string }[];
}

// The overcloud's package updates on the real engine: the health waited for after each
// controller, and a reboot check a host cannot answer. One stack, three runs.
describe("between hosts, on the real engine: health waited for after each controller, and no reboot decided on a guess", function () {
  const ws = new Workspace();
  const stack = "staging";
  const env = { KAYOBE_SIM_JOURNAL: `.kayobe-upgrade/${stack}/kayobe-journal.jsonl`, KAYOBE_SIM_KAYOBE_VERSION: "14.5.0" };
  const hostSafety = { healthChecks: {}, healthAttempts: 3, healthIntervalSeconds: 0, rebootWithoutAnswer: {} };
  const plan = planOf(ws.root, { hostSafety });
  const checksOf = (host: string) => (plan.find((m) => m.name === `overcloud-host-package-update-${host}`)!.commands.at(-1) as UntilHealthy).checks.map((c) => c.argv.slice(1).join(" "));
  const [containers, mariadb, rabbitmq] = checksOf("stg-ctl-01");
  const update = (host: string) => `overcloud host package update --packages * --limit ${host}`;
  const rebootCheck = (host: string) => `overcloud host command run --command needs-restarting -r --show-output --limit ${host}`;
  const callsFrom = (host: string) => ws.calls(stack).slice(ws.calls(stack).indexOf(update(host)));
  const outputsOf = (name: string): Outputs => JSON.parse(ws.exportState(stack)).deployment.resources.find((r: { urn: string }) => r.urn.endsWith(`::${name}`)).outputs;

  before(() => {
    ws.stack(stack);
    ws.setConfig(stack, "hostHealthAttempts", "3");
    ws.setConfig(stack, "hostHealthInterval", "0");
  });

  it("waits for a controller that comes back unhealthy, and stops at one that stays so, naming the check, the host and its output, the next controller untouched", () => {
    // stg-ctl-01 recovers at the third check; stg-ctl-02 never does.
    ws.setConfig(stack, "kayobeEnv", JSON.stringify({ ...env, KAYOBE_SIM_UNHEALTHY: "stg-ctl-01:2,stg-ctl-02:1000" }));
    const { stdout, stderr } = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    assert.match(stdout + stderr, /kayobe-upgrade:vipHost is not set: the controllers' packages are updated in inventory order \(stg-ctl-01, stg-ctl-02, stg-ctl-03\)/);
    assert.deepStrictEqual(callsFrom("stg-ctl-01"), [
      update("stg-ctl-01"),
      rebootCheck("stg-ctl-01"),
      containers,
      containers,
      containers,
      mariadb,
      rabbitmq,
      update("stg-ctl-02"),
      rebootCheck("stg-ctl-02"),
      containers,
      containers,
      containers,
    ]);
    assert.strictEqual(containers, `overcloud host command run -l controllers -b --command ps=$(docker ps --all --format "{{.Names}} {{.Status}}") && ! echo "$ps" | grep -E "Restarting|\\(unhealthy\\)" --show-output`);
    assert.match(
      stdout + stderr,
      /the cloud is not healthy after stg-ctl-02's update: check "containers" still failed \(exit code 2\) after 3 attempts 0s apart, so no other host is touched; see to stg-ctl-02, then up again/,
    );
    assert.match(stdout + stderr, /mariadb Restarting \(1\) 4 seconds ago/, "the check's last output");
    const recovered = outputsOf("overcloud-host-package-update-stg-ctl-01").commandsRun;
    assert.deepStrictEqual(
      recovered.map((c) => [c.exitCode, c.decision]),
      [[0, undefined], [0, "no reboot required"], [2, undefined], [2, undefined], [0, undefined], [0, undefined], [0, "healthy after stg-ctl-01's update (attempt 3 of 3)"]],
    );
  });

  it("stops at a host without needs-restarting, asking for the decision, and reboots it once the stack decides so", () => {
    ws.setConfig(stack, "kayobeEnv", JSON.stringify({ ...env, KAYOBE_SIM_NO_NEEDS_RESTARTING: "stg-ctl-02" }));
    const before = ws.calls(stack).length;
    const { stdout, stderr } = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    assert.deepStrictEqual(ws.calls(stack).slice(before), [update("stg-ctl-02"), rebootCheck("stg-ctl-02")]);
    assert.ok(
      (stdout + stderr).includes(
        `no answer whether stg-ctl-02 needs a reboot (stg-ctl-02 said "(exit code 127: /bin/sh: needs-restarting: command not found)"); decide: bin/pulumi config set --path 'kayobe-upgrade:rebootWithoutAnswer["stg-ctl-02"]' reboot`,
      ),
      stdout + stderr,
    );

    ws.pulumi(["config", "set", "--stack", stack, "--path", 'kayobe-upgrade:rebootWithoutAnswer["stg-ctl-02"]', "reboot"]);
    const resumed = ws.calls(stack).length;
    ws.pulumi(["up", "--yes", "--stack", stack]);
    assert.deepStrictEqual(ws.calls(stack).slice(resumed, resumed + 7), [
      update("stg-ctl-02"),
      rebootCheck("stg-ctl-02"),
      "playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-ctl-02",
      containers,
      mariadb,
      rabbitmq,
      update("stg-ctl-03"),
    ]);
    const decided = outputsOf("overcloud-host-package-update-stg-ctl-02").commandsRun[1];
    assert.strictEqual(decided.decision, "reboot required on stg-ctl-02; stg-ctl-02 did not answer, reboot as kayobe-upgrade:rebootWithoutAnswer decides");
    // A storage host is waited for too, its own containers checked with the controllers'.
    const storage = checksOf("stg-stg-01");
    assert.strictEqual(storage[0], containers.replace("-l controllers", "-l controllers,stg-stg-01"));
    assert.deepStrictEqual(callsFrom("stg-stg-01").slice(0, 5), [update("stg-stg-01"), rebootCheck("stg-stg-01"), ...storage]);
    assert.ok(!ws.calls(stack).some((call) => call.includes("--limit stg-cmp") && call.includes("docker ps")), "hypervisors are not waited for");
  });
});
