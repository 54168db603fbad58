import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { decodeCommands, encodeCommands, goalDigest } from "../../resources/provider/goal";
import { MilestoneInputs, MilestoneOutputs, PROVIDER_MODULE } from "../../resources/provider/milestone";
import { Command, REBOOT_CHECKS } from "../../resources/runbook/phases";
import { canonicalJson, fingerprint } from "../../resources/runbook/plan";
import { stackPlan } from "../../resources/runbook/stack-plan";
import { PROJECT, SHIPPED_SMOKE_TESTS, sidesOf, stagingConfig } from "./fixtures";

/** The provider as the SDK's dynamic-provider host loads it from a milestone's `__provider`. */
function loadProvider(): Required<Pick<import("@pulumi/pulumi").dynamic.ResourceProvider, "check" | "diff" | "create" | "update" | "delete">> {
  const module = { exports: {} as { handler: () => never } };
  new Function("exports", "require", "module", PROVIDER_MODULE)(module.exports, require, module);
  return module.exports.handler();
}

/** What the milestone must achieve, as the provider reads it from inputs. */
const goalOf = (news: MilestoneInputs) => ({ commands: decodeCommands(news.commands), targetRelease: news.targetRelease, fingerprint: news.fingerprint });
const encoded = (goal: { commands: Command[]; targetRelease: string; fingerprint: string }) => ({ ...goal, commands: encodeCommands(goal.commands) });

const inputs = (root: string, overrides: Partial<MilestoneInputs> = {}): MilestoneInputs => ({
  milestone: "overcloud-service-configuration-preview",
  phase: "Overcloud",
  title: "t",
  risk: "safe",
  position: "3/9",
  commands: encodeCommands([["kayobe", "overcloud", "service", "configuration", "generate", "--node-config-dir", `${root}/.kayobe-upgrade/staging/kolla-diff`]]),
  targetRelease: "2024.1",
  fingerprint: "0123456789abcdef",
  execution: { kayobeBin: "kayobe", kayobeConfigPath: "/k", kayobeEnv: {}, cwd: root, workingDir: root, logDir: "/l", scratchDir: "/s", timeoutSeconds: 60, release: "2024.1" },
  maintenanceWindow: { state: "open" },
  secrets: { vaultPassword: "v", env: {} },
  ...overrides,
});

describe("the milestone provider in the state", () => {
  it("is a short module that finds the implementation in the project the engine runs it in", async () => {
    assert.strictEqual(process.cwd(), PROJECT, "the engine starts the provider in the project root");
    const provider = loadProvider();
    const news = inputs(PROJECT);
    const recorded = { goal: goalDigest(goalOf(news), PROJECT), projectRoot: PROJECT };
    assert.deepStrictEqual(await provider.diff("id", recorded, news), { changes: false, replaces: [], deleteBeforeReplace: false });
    assert.strictEqual((await provider.diff("id", recorded, inputs(PROJECT, { targetRelease: "2025.1" }))).changes, true);
    assert.ok(PROVIDER_MODULE.length < 100, `${PROVIDER_MODULE.length} bytes, twice in each milestone's state`);
  });

  it("forgets a deleted milestone without running anything", async () => {
    const said: string[] = [];
    const log = console.log;
    console.log = (line: string) => void said.push(line);
    try {
      await loadProvider().delete("seed-upgrade", {});
    } finally {
      console.log = log;
    }
    assert.deepStrictEqual(said, ["milestone seed-upgrade forgotten; nothing was undone on the cloud"]);
  });

  it("sees no change for a record from a clone at another path, or one that kept the goal whole", async () => {
    const provider = loadProvider();
    const elsewhere = "/home/operator/kayobe-upgrade";
    // Records written before the state kept only the digest held the commands as they are.
    const { commands: encoded, targetRelease, fingerprint } = inputs(elsewhere);
    const commands = decodeCommands(encoded);
    assert.strictEqual((await provider.diff("id", { goal: goalDigest(goalOf(inputs(elsewhere)), elsewhere), projectRoot: elsewhere }, inputs(PROJECT))).changes, false);
    assert.strictEqual((await provider.diff("id", { commands, targetRelease, fingerprint, projectRoot: elsewhere }, inputs(PROJECT))).changes, false);
    assert.strictEqual((await provider.diff("id", { commands, targetRelease: "2023.1", fingerprint, projectRoot: elsewhere }, inputs(PROJECT))).changes, true);
    assert.strictEqual((await provider.check({}, inputs(PROJECT))).failures?.length, 0);
  });
});

describe("a milestone's commands in its inputs", () => {
  it("are one line each, an argv as the shell reads it, so that preview --diff shows a changed command as one line", () => {
    assert.deepStrictEqual(inputs(PROJECT).commands, [`kayobe overcloud service configuration generate --node-config-dir ${PROJECT}/.kayobe-upgrade/staging/kolla-diff`]);
    const awkward: Command[] = [["kayobe", "overcloud", "host", "command", "run", "--command", 'docker exec rabbitmq rabbitmqctl --version | grep -F "3.11." && echo $HOME `x` \\ done', "--limit", "controllers[0]"], ["printf", "", " {not json} "], []];
    assert.deepStrictEqual(decodeCommands(encodeCommands(awkward)), awkward);
    assert.strictEqual(encodeCommands([{ kind: "wait", seconds: 200 }])[0], 'wait {"kind":"wait","seconds":200}');
  });

  it("decode to the very commands of the shipped stacks' plans", () => {
    for (const config of [stagingConfig({ smokeTests: SHIPPED_SMOKE_TESTS }), stagingConfig({ environment: "production", stage: "production", hypervisorBatchSize: 2, seedSsh: { user: "stack", host: "192.168.33.5", port: 22, knownHosts: "/w/known_hosts" } })]) {
      const commands = stackPlan(config, sidesOf(config)).flatMap((m) => m.commands);
      assert.ok(commands.some((c) => !Array.isArray(c)) && commands.length > 40);
      assert.deepStrictEqual(decodeCommands(encodeCommands(commands)), commands);
    }
  });

  it("are the same goal as inputs from before, which held them as they are: a done step stays done, staging's lead unasked", async () => {
    const news = inputs(PROJECT, { gate: { staging: "staging", satisfied: false, missing: ["x"] } });
    const before = { ...news, commands: decodeCommands(news.commands) };
    assert.deepStrictEqual(await loadProvider().check(before, news), { inputs: news });
    const changed = { ...before, commands: [["kayobe", "something", "else"]] };
    assert.strictEqual((await loadProvider().check(changed, news)).failures?.length, 1, "a changed goal does ask staging");
  });

  it("refuses a step staging ran with other settings, naming each with both values", async () => {
    const differs = ['kayobe-upgrade:overcloudImageRegexes is ["ironic-"] on staging, [] here'];
    const news = inputs(PROJECT, { milestone: "overcloud-container-image-build", gate: { staging: "staging", satisfied: false, missing: ["overcloud-container-image-build"], differs } });
    assert.deepStrictEqual((await loadProvider().check({}, news)).failures, [
      {
        property: "",
        reason:
          'overcloud-container-image-build: staging stack "staging" has not completed this step at release 2024.1 with fingerprint 0123456789abcdef; missing staging milestones: overcloud-container-image-build. ' +
          'Staging ran it with other settings, and production runs only what staging ran and tested: kayobe-upgrade:overcloudImageRegexes is ["ironic-"] on staging, [] here. ' +
          "Set them as staging has them, or upgrade staging first, or set kayobe-upgrade:promotionOverride to a reason in an emergency.",
      },
    ]);
  });
});

describe("a step done by hand", () => {
  const byHand = (root: string) => inputs(root, { doneByHand: "migrated by hand on 2026-11-20, change 4711", execution: { ...inputs(root).execution, kayobeBin: "/nonexistent/kayobe" } });

  it("is recorded with its reason and the goal it stands for, running nothing", async () => {
    const provider = loadProvider();
    const { id, outs } = await provider.create(byHand(PROJECT));
    const { completedAt, ...record } = outs as MilestoneOutputs;
    assert.strictEqual(id, "overcloud-service-configuration-preview");
    assert.deepStrictEqual(record, {
      milestone: "overcloud-service-configuration-preview",
      phase: "Overcloud",
      fingerprint: "0123456789abcdef",
      goal: goalDigest(goalOf(byHand(PROJECT)), PROJECT),
      projectRoot: PROJECT,
      releaseReached: "2024.1",
      commandsRun: [],
      doneByHand: "migrated by hand on 2026-11-20, change 4711",
    });
    assert.ok(Date.parse(completedAt) <= Date.now());
    assert.strictEqual((await provider.diff("id", outs, inputs(PROJECT))).changes, false, "done, once the reason is removed from the stack");
  });

  it("needs neither staging's lead nor a maintenance window", async () => {
    const gate = { staging: "staging", satisfied: false, missing: ["x"] };
    const news = { ...byHand(PROJECT), risk: "outage" as const, maintenanceWindow: { state: "closed" as const }, gate };
    assert.deepStrictEqual((await loadProvider().check({}, news)).failures, undefined);
    assert.strictEqual((await loadProvider().create(news)).outs.doneByHand, "migrated by hand on 2026-11-20, change 4711");
  });
});

describe("an outage step and a scheduled window", () => {
  const closingIn = (minutes: number) => ({ state: "scheduled" as const, start: new Date(Date.now() - 3600_000).toISOString(), end: new Date(Date.now() + minutes * 60_000).toISOString() });
  const outage = (estimateSeconds: number, maintenanceWindow = closingIn(10)) => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "window-"));
    return inputs(PROJECT, { risk: "outage", commands: encodeCommands([["true"]]), maintenanceWindow, estimateSeconds, execution: { ...inputs(PROJECT).execution, logDir } });
  };

  it("is not started when, by its estimate and the margin, it would not finish before the window closes", async () => {
    const news = outage(540);
    await assert.rejects(loadProvider().create(news), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(
          `^overcloud-service-configuration-preview: this step causes an API outage and is estimated to take 9m 00s \\(10m 48s with a 20% margin\\), but the maintenance window \\(kayobe-upgrade:maintenanceWindow ${news.maintenanceWindow.state === "scheduled" ? news.maintenanceWindow.start.replace(/\./g, "\\.") : ""}/\\S+\\) closes in (9m 5\\ds|10m 00s): it is not started; run it in the next window$`,
        ),
      );
      return true;
    });
    assert.deepStrictEqual(fs.readdirSync(news.execution.logDir), [], "nothing ran");
  });

  it("starts when it fits, and records when it started", async () => {
    const { outs } = await loadProvider().create(outage(480));
    assert.ok(Date.parse(outs.startedAt) <= Date.parse(outs.completedAt));
    assert.deepStrictEqual(outs.commandsRun.map((c: { command: string }) => c.command), ["true"]);
  });
});

describe("a step gated by a review", () => {
  const review = { file: "/w/reviews/overcloud-host-configure-check.diff", digest: "sha256:0123456789abcdef", changedHosts: 2, changedTasks: 5 };
  const gated = (approved?: string) => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-"));
    const reviewGate = { stack: "staging", reviewed: "overcloud-host-configure-check", review, approved, on: true };
    return inputs(PROJECT, { milestone: "overcloud-host-configure", commands: encodeCommands([["true"]]), reviewGate, execution: { ...inputs(PROJECT).execution, logDir } });
  };

  it("refuses changes not approved before any of its commands runs, naming the approval command", async () => {
    const news = gated("sha256:fedcba9876543210");
    await assert.rejects(loadProvider().create(news), (err: Error) => {
      assert.ok(err.message.startsWith("overcloud-host-configure: overcloud-host-configure-check shows changes to 5 tasks on 2 hosts (sha256:0123456789abcdef); the approval in kayobe-upgrade:approvals is of sha256:fedcba9876543210"), err.message);
      assert.ok(err.message.includes(`bin/pulumi config set --path 'kayobe-upgrade:approvals["overcloud-host-configure"]' sha256:0123456789abcdef --stack staging`), err.message);
      return true;
    });
    assert.deepStrictEqual(fs.readdirSync(news.execution.logDir), [], "nothing ran");
  });

  it("runs once they are approved, recording the approval with the digest", async () => {
    const { outs } = await loadProvider().create(gated(review.digest));
    assert.deepStrictEqual([outs.commandsRun.map((c: { command: string }) => c.command), outs.approval], [["true"], { reviewed: "overcloud-host-configure-check", digest: review.digest, by: "approval" }]);
  });
});

describe("a milestone's goal", () => {
  const upgrade = (seconds: number, tag = "3.12"): Command[] => [
    ["kayobe", "overcloud", "service", "configuration", "generate", "--node-config-dir", "/tmp/ignore", "-kt", "none"],
    { kind: "if-still-to-do", look: ["kayobe", "overcloud", "host", "command", "run", "--command", "x"], toDoWhen: "found", done: "d", then: [["kayobe", "kolla", "ansible", "run", `rabbitmq-upgrade ${tag}`], { kind: "wait", seconds }] },
  ];
  const goal = (commands: Command[]) => ({ commands, targetRelease: "2024.1", fingerprint: "0123456789abcdef" });

  it("leaves out a wait's length, which only tunes how the step runs", () => {
    assert.strictEqual(goalDigest(goal(upgrade(200)), PROJECT), goalDigest(goal(upgrade(1)), PROJECT));
    assert.notStrictEqual(goalDigest(goal(upgrade(200)), PROJECT), goalDigest(goal(upgrade(200, "3.13")), PROJECT));
  });

  it("is met by a record written before the steps looked first, of the same commands unguarded", async () => {
    const before: Command[] = [upgrade(200)[0], ["kayobe", "kolla", "ansible", "run", "rabbitmq-upgrade 3.12"], ["sleep", "200"]];
    const record = { goal: goalDigest(goal(before), PROJECT), projectRoot: PROJECT };
    const provider = loadProvider();
    assert.strictEqual((await provider.diff("id", record, inputs(PROJECT, encoded(goal(upgrade(200)))))).changes, false);
    assert.strictEqual((await provider.diff("id", record, inputs(PROJECT, encoded(goal(upgrade(200, "3.13")))))).changes, true);
    assert.strictEqual((await provider.diff("id", { goal: goalDigest(goal(before.slice(0, 2)), PROJECT), projectRoot: PROJECT }, inputs(PROJECT, encoded(goal(upgrade(200)))))).changes, true);
  });

  it("leaves out the wait for the hosts' health, and is met by a record written before a host had to answer the reboot check", async () => {
    const reboot = (check: string): Command => ({ kind: "reboot-if-required", check: ["kayobe", "overcloud", "host", "command", "run", "--command", check, "--show-output", "--limit", "ctl-01"], reboot: ["kayobe", "playbook", "run", "reboot.yml", "-l", "ctl-01"] });
    const health = (attempts: number): Command => ({ kind: "until-healthy", host: "ctl-01", checks: [{ name: "alerts", argv: ["no-alerts"] }], attempts, intervalSeconds: 20 });
    const update: string[] = ["kayobe", "overcloud", "host", "package", "update", "--packages", "*", "--limit", "ctl-01"];
    const now = goal([update, reboot(REBOOT_CHECKS.redhat), health(30)]);
    assert.strictEqual(goalDigest(now, PROJECT), goalDigest(goal([update, reboot(REBOOT_CHECKS.redhat)]), PROJECT));
    assert.strictEqual(goalDigest(now, PROJECT), goalDigest(goal([update, reboot(REBOOT_CHECKS.redhat), health(5)]), PROJECT));
    const provider = loadProvider();
    const recordOf = (commands: Command[]) => ({ goal: goalDigest(goal(commands), PROJECT), projectRoot: PROJECT });
    assert.strictEqual((await provider.diff("id", recordOf([update, reboot("needs-restarting -r || true")]), inputs(PROJECT, encoded(now)))).changes, false);
    assert.strictEqual((await provider.diff("id", recordOf([update, reboot("uptime")]), inputs(PROJECT, encoded(now)))).changes, true);
  });

  it("is the digest that records written before kept, for commands that tune nothing", () => {
    const commands: Command[] = [["kayobe", "overcloud", "host", "upgrade"], { kind: "reboot-if-required", check: ["kayobe", "x"], reboot: ["kayobe", "y"] }];
    assert.strictEqual(goalDigest(goal(commands), PROJECT), fingerprint(canonicalJson(goal(commands))));
  });
});
