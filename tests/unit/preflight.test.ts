import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackFile } from "../../resources/config/stack-file";
import { checkables, formatReport, pythonNextTo } from "../../resources/preflight/check-commands";
import { checkPreflightKayobe, withPreflight } from "../../resources/preflight/preflight-step";
import type { Command } from "../../resources/runbook/phases";
import { planUpgrade } from "../../resources/runbook/plan";
import { PROJECT, sidesOf, stagingConfig } from "./fixtures";

function stagingPlan() {
  const config = stagingConfig();
  const sides = sidesOf(config);
  return { config, sides, plan: planUpgrade(config, sides.target, sides.source) };
}

describe("preflight", () => {
  it("checks kayobe's argvs (both of a reboot-if-required, an if-still-to-do's look and what it runs) and the scripts, and leaves other programs and file operations", () => {
    const plan = [
      {
        name: "a",
        commands: [
          ["kayobe", "control", "host", "upgrade"],
          ["sleep", "200"],
          { kind: "if-still-to-do", look: ["kayobe", "overcloud", "host", "command", "run", "--command", "y"], toDoWhen: "not found", done: "d", then: [["$KAYOBE_CONFIG_PATH/../../tools/migrate.sh"], { kind: "wait", seconds: 9 }] },
        ],
      },
      {
        name: "b",
        commands: [
          { kind: "reboot-if-required", check: ["kayobe", "seed", "host", "command", "run", "--command", "x", "--show-output"], reboot: ["kayobe", "playbook", "run", "reboot.yml", "-l", "seed"] },
          { kind: "refuse-nodes-in-wait-state", argv: ["baremetal", "node", "list"], reason: "r" },
          { kind: "remove", path: "/tmp/x" },
          { kind: "diff", old: "/o", new: "/n", output: "/d" },
        ],
      },
    ] satisfies { name: string; commands: Command[] }[];
    assert.deepStrictEqual(checkables(plan), [
      { milestone: "a", kind: "kayobe", argv: ["kayobe", "control", "host", "upgrade"], alike: 0 },
      { milestone: "a", kind: "kayobe", argv: ["kayobe", "overcloud", "host", "command", "run", "--command", "y"], alike: 0 },
      { milestone: "a", kind: "script", argv: ["$KAYOBE_CONFIG_PATH/../../tools/migrate.sh"], alike: 0 },
      { milestone: "b", kind: "kayobe", argv: ["kayobe", "seed", "host", "command", "run", "--command", "x", "--show-output"], alike: 0 },
      { milestone: "b", kind: "kayobe", argv: ["kayobe", "playbook", "run", "reboot.yml", "-l", "seed"], alike: 0 },
    ]);
  });

  it("checks one command of each shape: those that differ only in their hosts, or a script's arguments, count as alike", () => {
    const update = (host: string) => ["kayobe", "overcloud", "host", "package", "update", "--packages", "*", "--limit", host];
    const reboot = (host: string) => ["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/reboot.yml", "-l", host];
    const plan = [
      { name: "update-cmp-1", commands: [update("cmp-1"), reboot("cmp-1"), ["/tools/x.sh", "--one"]] },
      { name: "update-cmp-2", commands: [update("cmp-2"), reboot("cmp-2"), ["/tools/x.sh", "--two"]] },
      { name: "update-cmp-3", commands: [update("cmp-3"), ["kayobe", "overcloud", "host", "package", "update", "--packages", "kernel", "--limit", "cmp-3"]] },
      // An option where the hosts should be: kayobe's parser may answer otherwise.
      { name: "odd", commands: [update("-v")] },
    ];
    assert.deepStrictEqual(checkables(plan), [
      { milestone: "update-cmp-1", kind: "kayobe", argv: update("cmp-1"), alike: 2 },
      { milestone: "update-cmp-1", kind: "kayobe", argv: reboot("cmp-1"), alike: 1 },
      { milestone: "update-cmp-1", kind: "script", argv: ["/tools/x.sh", "--one"], alike: 1 },
      { milestone: "update-cmp-3", kind: "kayobe", argv: ["kayobe", "overcloud", "host", "package", "update", "--packages", "kernel", "--limit", "cmp-3"], alike: 0 },
      { milestone: "odd", kind: "kayobe", argv: update("-v"), alike: 0 },
    ]);
  });

  it("heads the graph: what waited for nothing waits for it, the rest is unchanged", () => {
    const { config, sides, plan } = stagingPlan();
    const withIt = withPreflight(config, sides, plan);
    const [preflight, ...rest] = withIt;
    assert.deepStrictEqual([preflight.name, preflight.phase, preflight.side, preflight.risk, preflight.dependsOn], ["preflight", "Prerequisites", "both", "safe", []]);
    const ofSide = (side: string) => checkables(plan.filter((m) => m.side === side));
    assert.deepStrictEqual(preflight.commands, [
      { kind: "preflight", side: "source", release: "2023.1", kayobeBin: config.sourcePreflightKayobeBin, kayobeConfigPath: sides.source.configPath, checks: ofSide("source") },
      { kind: "preflight", side: "target", release: "2024.1", kayobeBin: config.preflightKayobeBin, kayobeConfigPath: sides.target.configPath, checks: ofSide("target") },
    ]);
    assert.deepStrictEqual(
      ofSide("source").map((check) => check.milestone),
      ["rabbitmq-slurp-upgrade", "rabbitmq-slurp-upgrade", "rabbitmq-slurp-upgrade", "rabbitmq-slurp-upgrade", "rabbitmq-slurp-upgrade", "rabbitmq-quorum-migration", "rabbitmq-quorum-migration"],
      "the Prerequisites' commands, for the 2023.1 kayobe's parser",
    );
    assert.deepStrictEqual(rest.map((m) => m.dependsOn), plan.map((m, i) => (i === 0 ? ["preflight"] : m.dependsOn)));
    assert.deepStrictEqual(rest.slice(1), plan.slice(1));
  });

  it("leaves a side that waits for its configuration to be checked once it has it", () => {
    const { config, sides, plan } = stagingPlan();
    const sidesOfPreflight = (waiting: typeof sides.waiting) => withPreflight(config, { ...sides, waiting }, plan)[0].commands.map((c) => (c as { side: string }).side);
    assert.deepStrictEqual(sidesOfPreflight({ source: "no 2023.1 configuration" }), ["target"]);
    assert.deepStrictEqual(sidesOfPreflight({ target: "the checkout is still at 2023.1" }), ["source"]);
  });

  it("keeps its fingerprint while the plan's commands stay, and changes it when one changes", () => {
    const { config, sides, plan } = stagingPlan();
    const fingerprint = (p: typeof plan) => withPreflight(config, sides, p)[0].fingerprint;
    assert.strictEqual(fingerprint(plan), fingerprint(stagingPlan().plan));
    const changed = plan.map((m) => (m.name === "overcloud-service-upgrade" ? { ...m, commands: [["kayobe", "overcloud", "service", "upgrade", "-kt", "nova"]] } : m));
    assert.notStrictEqual(fingerprint(changed), fingerprint(plan));
    assert.notStrictEqual(withPreflight({ ...config, preflightKayobeBin: "/other/bin/kayobe" }, sides, plan)[0].fingerprint, fingerprint(plan));
    assert.notStrictEqual(withPreflight({ ...config, sourcePreflightKayobeBin: "/other/bin/kayobe" }, sides, plan)[0].fingerprint, fingerprint(plan));
  });

  it("reports every mismatch with its milestone, command and reason, then the warnings", () => {
    const finding = (milestone: string, command: string, reason: string) => ({ milestone, command, reason });
    const report = {
      kayobe: "16.8.0",
      python: "/venv/bin/python",
      checked: 12,
      mismatches: [finding("m1", "kayobe overcloud host upgrade -kt x", "kayobe overcloud host upgrade: error: unrecognized arguments: -kt x"), finding("m2", "/t/x.sh", "/t/x.sh does not exist")],
      warnings: [finding("m3", "kayobe overcloud service upgrade -kt x", "option -kt is deprecated")],
    };
    assert.strictEqual(
      formatReport(report),
      [
        "2 of 12 commands not accepted by kayobe 16.8.0 (/venv/bin/python):",
        "  m1: kayobe overcloud host upgrade -kt x",
        "    kayobe overcloud host upgrade: error: unrecognized arguments: -kt x",
        "  m2: /t/x.sh",
        "    /t/x.sh does not exist",
        "1 warnings:",
        "  m3: kayobe overcloud service upgrade -kt x",
        "    option -kt is deprecated",
      ].join("\n"),
    );
    assert.strictEqual(formatReport({ ...report, mismatches: [], warnings: [] }), "all 12 commands accepted by kayobe 16.8.0 (/venv/bin/python)");
  });

  it("finds the python of kayobe's virtualenv, by path or on PATH", () => {
    const venv = fs.mkdtempSync(path.join(os.tmpdir(), "venv-"));
    fs.mkdirSync(path.join(venv, "bin"));
    for (const name of ["kayobe", "python3"]) fs.writeFileSync(path.join(venv, "bin", name), "", { mode: 0o755 });
    assert.strictEqual(pythonNextTo(path.join(venv, "bin", "kayobe")), path.join(venv, "bin", "python3"));
    const saved = process.env.PATH;
    process.env.PATH = `/nonexistent${path.delimiter}${path.join(venv, "bin")}`;
    try {
      assert.strictEqual(pythonNextTo("kayobe"), path.join(venv, "bin", "python3"));
    } finally {
      process.env.PATH = saved;
    }
    assert.strictEqual(pythonNextTo(path.join(PROJECT, "simulator", "kayobe")), undefined);
  });

  it("refuses a preflight kayobe with no virtualenv, naming the stack and the key", () => {
    const config = stagingConfig({ preflightKayobeBin: path.join(PROJECT, "simulator", "kayobe") });
    assert.throws(() => checkPreflightKayobe(config), {
      name: "ConfigError",
      message: `stack "staging": kayobe-upgrade:preflightKayobeBin: expected a kayobe installed in a virtualenv, with the virtualenv's python next to it, but there is none next to ${path.join(PROJECT, "simulator", "kayobe")} (defaults to kayobeBin; scripts/ensure-kayobe.sh VERSION installs one from PyPI, as it does 14.5.0 and 16.8.0 for the shipped stacks)`,
    });
  });

  it("reads a stack's config file as Pulumi hands the values over, the vault password left encrypted", () => {
    const raw = readStackFile(PROJECT, "production");
    assert.deepStrictEqual(raw.vaultPassword, { secret: true });
    assert.deepStrictEqual(raw.kayobeEnv, { secret: false, value: '{"RABBITMQ_MIGRATION_SETTLE":"0","KAYOBE_SIM_KAYOBE_VERSION":"14.5.0","KAYOBE_SIM_JOURNAL":".kayobe-upgrade/production/kayobe-journal.jsonl"}' });
    assert.deepStrictEqual([raw.targetRelease?.value, raw.hypervisorBatchSize?.value, raw.stage?.value], ["2024.1", "2", "production"]);
  });
});
