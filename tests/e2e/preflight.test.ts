// The preflight against real kayobe 16.8.0 (scripts/ensure-kayobe.sh): the shipped
// stacks' plans pass, bad commands are each reported, and on the real engine a failing
// preflight stops the upgrade before any kayobe command runs.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { checkables, checkPlan } from "../../resources/preflight/check-commands";
import { Command, Preflight } from "../../resources/runbook/phases";
import { PROJECT, SAMPLE } from "../unit/fixtures";
import { planOf } from "./expected-calls";
import { REAL_KAYOBE, REAL_KAYOBE_2023_1, Workspace } from "./workspace";

const KAYOBE = path.join(PROJECT, REAL_KAYOBE, "bin", "kayobe");
const PYTHON = path.join(PROJECT, REAL_KAYOBE, "bin", "python");

/** How many of a plan's command lines are kayobe's (both of a reboot-if-required, an if-still-to-do's look and what it may run, an until-healthy's checks) or a script's. */
function commandsToCheck(plan: { commands: Command[] }[]): number {
  const argvs = (commands: Command[]): string[][] =>
    commands.flatMap((c) => (Array.isArray(c) ? [c] : c.kind === "reboot-if-required" ? [c.check, c.reboot] : c.kind === "with-openrc" ? [c.argv] : c.kind === "if-still-to-do" ? [c.look, ...argvs(c.then)] : c.kind === "until-healthy" ? c.checks.map((check) => check.argv) : []));
  return plan.flatMap((m) => argvs(m.commands)).filter((argv) => argv[0] === "kayobe" || argv[0].includes("/")).length;
}

describe("the preflight against real kayobe 16.8.0", function () {
  it("accepts every command of the shipped stacks' plans (scripts/preflight.sh)", () => {
    // The vault password, which kayobe needs to read the config, is decrypted by Pulumi for a stack on the backend.
    const ws = new Workspace();
    for (const stack of ["staging", "production"]) {
      ws.stack(stack);
      const run = spawnSync("bash", [ws.file("scripts/preflight.sh"), stack], { encoding: "utf8", env: ws.environment() });
      const plan = planOf(ws.root, { stack, environment: stack, stage: stack as "staging" | "production", vipHost: stack === "production" ? "prd-ctl-01" : undefined, hypervisorBatchSize: stack === "production" ? 2 : 1 }).slice(1);
      const [source, target] = [plan.filter((m) => m.side === "source"), plan.filter((m) => m.side === "target")].map(commandsToCheck);
      assert.deepStrictEqual(
        [run.status, run.stdout],
        [
          0,
          `stack "${stack}", source release 2023.1: all ${source} commands accepted by kayobe 14.5.0 (${ws.file(REAL_KAYOBE_2023_1)}/bin/python)\n` +
            `stack "${stack}", target release 2024.1: all ${target} commands accepted by kayobe 16.8.0 (${ws.file(REAL_KAYOBE)}/bin/python)\n`,
        ],
        run.stderr,
      );
    }
  });

  it("reports each command kayobe would refuse, with the reason, and runs none", () => {
    const preflight: Preflight = {
      kind: "preflight",
      side: "target",
      release: "2024.1",
      kayobeBin: KAYOBE,
      kayobeConfigPath: SAMPLE,
      checks: checkables([
        { name: "fine", commands: [["kayobe", "overcloud", "service", "upgrade", "-kt", "nova"]] },
        { name: "kolla-tags-on-host-upgrade", commands: [["kayobe", "overcloud", "host", "upgrade", "-kt", "nova"]] },
        { name: "typo", commands: [["kayobe", "overcloud", "service", "upgarde"]] },
        { name: "no-packages", commands: [{ kind: "reboot-if-required", check: ["kayobe", "seed", "host", "command", "run", "--show-output"], reboot: ["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/reboot.yml"] }] },
        { name: "missing", commands: [["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/no-such.yml"], ["$KAYOBE_CONFIG_PATH/../../tools/no-such.sh"]] },
        { name: "help", commands: [["kayobe", "control", "host", "upgrade", "--help"]] },
      ]),
    };
    const report = checkPlan(preflight);
    assert.deepStrictEqual([report.kayobe, report.python, report.checked, report.warnings], ["16.8.0", PYTHON, 8, []]);
    assert.deepStrictEqual(report.mismatches, [
      { milestone: "kolla-tags-on-host-upgrade", command: "kayobe overcloud host upgrade -kt nova", reason: "kayobe overcloud host upgrade: error: unrecognized arguments: -kt nova" },
      { milestone: "typo", command: "kayobe overcloud service upgarde", reason: "'overcloud service upgarde' is not a kayobe command" },
      { milestone: "no-packages", command: "kayobe seed host command run --show-output", reason: "kayobe seed host command run: error: the following arguments are required: --command" },
      { milestone: "missing", command: "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/no-such.yml", reason: `Kayobe playbook ${SAMPLE}/ansible/no-such.yml is invalid: not a readable file` },
      { milestone: "missing", command: "$KAYOBE_CONFIG_PATH/../../tools/no-such.sh", reason: `${SAMPLE}/../../tools/no-such.sh does not exist` },
      { milestone: "help", command: "kayobe control host upgrade --help", reason: "only prints help or the version: runs nothing" },
    ]);
  });

  it("refuses a parser of another release than the commands run at", () => {
    const preflight: Preflight = { kind: "preflight", side: "source", release: "2023.1", kayobeBin: KAYOBE, kayobeConfigPath: SAMPLE, checks: checkables([{ name: "a", commands: [["kayobe", "kolla", "ansible", "run", "rabbitmq-upgrade 3.12"]] }]) };
    assert.deepStrictEqual(checkPlan(preflight).mismatches, [
      {
        milestone: "the source release's steps",
        command: KAYOBE,
        reason: "kayobe 16.8.0 is the kayobe of 2024.1, not of 2023.1, where these commands run: set kayobe-upgrade:sourcePreflightKayobeBin to a kayobe of 2023.1 (scripts/ensure-kayobe.sh VERSION installs one from PyPI)",
      },
    ]);
  });

  it("on the real engine, stops the upgrade before any kayobe command, listing every mismatch", () => {
    const ws = new Workspace();
    ws.stack("staging");
    fs.rmSync(ws.kayobeConfig("etc/kayobe/ansible/wazuh-agent.yml"));
    ws.commit("a playbook gone");
    ws.commitOnSourceBranch("a script not executable", () => fs.chmodSync(ws.kayobeConfig("tools/rabbitmq-quorum-migration.sh"), 0o644));
    const { stdout, stderr } = ws.pulumi(["up", "--yes", "--stack", "staging"], { expectFailure: true });
    const config = ws.kayobeConfig("etc/kayobe");
    const source = ws.file(".kayobe-upgrade/staging/source-kayobe-config/etc/kayobe");
    const plan = planOf(ws.root).slice(1);
    const [sourceChecks, targetChecks] = [plan.filter((m) => m.side === "source"), plan.filter((m) => m.side === "target")].map(commandsToCheck);
    // Each side's commands go to its release's kayobe: the source's script to 14.5.0, the target's playbook to 16.8.0.
    const expected = [
      `1 of ${sourceChecks} commands not accepted by kayobe 14.5.0 (${ws.file(REAL_KAYOBE_2023_1)}/bin/python):`,
      "  rabbitmq-quorum-migration: $KAYOBE_CONFIG_PATH/../../tools/rabbitmq-quorum-migration.sh",
      `    ${source}/../../tools/rabbitmq-quorum-migration.sh is not executable`,
      `preflight: the target release's (2024.1) commands of the plan checked against ${ws.file(REAL_KAYOBE)}/bin/kayobe, none run: 1 of ${targetChecks} commands not accepted by kayobe 16.8.0 (${ws.file(REAL_KAYOBE)}/bin/python):`,
      "  wazuh-agent-services: kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/wazuh-agent.yml",
      `    Kayobe playbook ${config}/ansible/wazuh-agent.yml is invalid: not a readable file`,
    ];
    const output = (stdout + stderr).replace(/\n\s*\|? ?/g, "\n");
    assert.ok(output.includes(expected.map((line) => line.trim()).join("\n")), `${expected.join("\n")}\nnot in\n${stdout}${stderr}`);
    assert.deepStrictEqual(ws.journal("staging"), [], "no kayobe call");
  });
});
