import * as assert from "assert";
import type { Command } from "../../resources/runbook/phases";
import { expectedCalls, planOf } from "./expected-calls";
import { Workspace } from "./workspace";

interface Outputs {
  commandsRun: { command: string; exitCode: number; decision?: string }[];
  foundDone?: string[];
  doneByHand?: string;
  log?: string;
  completedAt: string;
}

describe("nothing done twice, on the real engine: a cloud already upgraded, a step done by hand, a wait changed", function () {
  const ws = new Workspace();
  const stack = "staging";
  const byHand = "overcloud-host-configure";
  const reason = "configured by hand on 2026-11-20 during the network change, change 4711";
  const plan = planOf(ws.root);
  const outputsOf = (name: string): Outputs => JSON.parse(ws.exportState(stack)).deployment.resources.find((r: { urn: string }) => r.urn.endsWith(`::${name}`)).outputs;
  const refusal = (args: string[]): string => {
    const { stdout, stderr } = ws.pulumi(args, { expectFailure: true });
    assert.doesNotMatch(stdout + stderr, /^\s+at /m, "no stack trace");
    return stdout + stderr;
  };

  before(() => {
    ws.stack(stack);
    // The simulator's cloud: RabbitMQ upgraded to 3.13 and its queues migrated to quorum queues.
    ws.setConfig(stack, "kayobeEnv", JSON.stringify({ KAYOBE_SIM_JOURNAL: `.kayobe-upgrade/${stack}/kayobe-journal.jsonl`, KAYOBE_SIM_KAYOBE_VERSION: "14.5.0", KAYOBE_SIM_RABBITMQ_VERSION: "3.13.7", KAYOBE_SIM_RABBITMQ_QUEUES: "quorum" }));
  });

  it("refuses at preview a step done by hand that is not a milestone, naming the key and listing the milestones", () => {
    ws.pulumi(["config", "set", "--stack", stack, "--path", 'kayobe-upgrade:doneByHand["overcloud-configure"]', reason]);
    const names = plan.map((m) => m.name).join(", ");
    assert.ok(refusal(["preview", "--stack", stack]).includes(`stack "staging": kayobe-upgrade:doneByHand: "overcloud-configure" is not a milestone of this stack; expected among ${names}`));
    ws.pulumi(["config", "rm", "--stack", stack, "kayobe-upgrade:doneByHand"]);
    ws.pulumi(["config", "set", "--stack", stack, "--path", `kayobe-upgrade:doneByHand["${byHand}"]`, reason]);
    assert.deepStrictEqual(ws.journal(stack), []);
  });

  it("refuses pulumi import, saying to record the step with doneByHand", () => {
    const output = refusal(["import", "pulumi-nodejs:dynamic/kayobe-upgrade:Milestone", byHand, byHand, "--yes", "--stack", stack]);
    assert.match(output, /^kayobe-upgrade: pulumi import cannot record a milestone: a step done by hand is recorded with kayobe-upgrade:doneByHand, /m);
    assert.deepStrictEqual(JSON.parse(ws.exportState(stack)).deployment.resources ?? [], []);
  });

  it("looks at the controllers and runs neither RabbitMQ upgrade nor the quorum migration, and runs nothing of the step done by hand", () => {
    ws.pulumi(["up", "--yes", "--stack", stack]);
    const lookOnly = (c: Command): Command => (!Array.isArray(c) && c.kind === "if-still-to-do" ? c.look : c);
    const expected = expectedCalls(plan.filter((m) => m.name !== byHand).map((m) => ({ ...m, commands: m.commands.map(lookOnly) })));
    assert.deepStrictEqual(ws.calls(stack), expected);
    assert.ok(!ws.calls(stack).includes("overcloud host configure"));
    assert.ok(ws.calls(stack).includes("overcloud host configure --check --diff"), "the steps around it ran");
  });

  it("records the looks' decisions, what was found done, and the step done by hand with its reason", () => {
    const upgrade = outputsOf("rabbitmq-slurp-upgrade");
    assert.deepStrictEqual(upgrade.foundDone, ["RabbitMQ past 3.11 on the controllers", "RabbitMQ past 3.12 on the controllers"]);
    assert.deepStrictEqual(
      upgrade.commandsRun.map((c) => [c.command, c.exitCode, c.decision]),
      [
        ["kayobe overcloud service configuration generate --node-config-dir /tmp/ignore -kt none", 0, undefined],
        ['kayobe overcloud host command run -l controllers -b --command "docker exec rabbitmq rabbitmqctl --version | grep -F 3.11." --show-output', 2, "found done: RabbitMQ past 3.11 on the controllers (stg-ctl-01, stg-ctl-02, stg-ctl-03)"],
        ['kayobe overcloud host command run -l controllers -b --command "docker exec rabbitmq rabbitmqctl --version | grep -F 3.12." --show-output', 2, "found done: RabbitMQ past 3.12 on the controllers (stg-ctl-01, stg-ctl-02, stg-ctl-03)"],
      ],
    );
    const migration = outputsOf("rabbitmq-quorum-migration");
    assert.deepStrictEqual(migration.foundDone, ["quorum queues on the controllers"]);
    assert.deepStrictEqual(migration.commandsRun.map((c) => [c.exitCode, c.decision]), [[0, "found done: quorum queues on the controllers (stg-ctl-01, stg-ctl-02, stg-ctl-03)"]]);
    const hand = outputsOf(byHand);
    assert.deepStrictEqual([hand.doneByHand, hand.commandsRun, hand.log], [reason, [], undefined]);
    assert.ok(Date.parse(hand.completedAt) <= Date.now());
    assert.match(ws.plan(stack).document, new RegExp(`^### ${byHand}: Configure hosts\\n\\n- \\[x\\] done by hand, recorded \\S+: ${reason}$`, "m"));
  });

  it("shows no change when only the wait between the RabbitMQ upgrades or the hypervisor batch size changes, or the reason is removed once recorded", () => {
    ws.setConfig(stack, "rabbitmqUpgradeWait", "300");
    ws.setConfig(stack, "hypervisorBatchSize", "3");
    ws.pulumi(["preview", "--expect-no-changes", "--stack", stack]);
    ws.pulumi(["config", "rm", "--stack", stack, "kayobe-upgrade:doneByHand"]);
    const { stdout } = ws.pulumi(["preview", "--expect-no-changes", "--stack", stack]);
    assert.match(stdout, new RegExp(`${plan.length + new Set(plan.map((m) => m.phase)).size + 1} unchanged`));
  });
});

describe("a new hypervisor batch size mid-upgrade, on the real engine: hosts already updated are not updated (and drained) again", function () {
  const ws = new Workspace();
  const stack = "staging";

  it("batches only the hypervisors not yet updated, and runs nothing of the done ones", () => {
    ws.stack(stack);
    ws.pulumi(["up", "--yes", "--stack", stack], { env: { KAYOBE_SIM_FAIL: "^overcloud host package update --packages \\* --limit stg-cmp-03$" }, expectFailure: true });
    const before = ws.calls(stack).length;
    ws.setConfig(stack, "hypervisorBatchSize", "2");
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    const changes = [...stdout.matchAll(/^ ([+~-])\s+\S+:Milestone (overcloud-host-package-update-\S+) (\w+)/gm)].map((m) => `${m[3]} ${m[2].replace("overcloud-host-package-update-", "")}`);
    assert.deepStrictEqual(changes, ["create stg-cmp-03+stg-cmp-04"]);
    ws.pulumi(["up", "--yes", "--stack", stack]);
    const ran = ws.calls(stack).slice(before).filter((call) => /--limit stg-cmp/.test(call));
    assert.ok(ran.length > 0 && ran.every((call) => call.endsWith("--limit stg-cmp-03,stg-cmp-04")), ran.join("\n"));
  });
});
