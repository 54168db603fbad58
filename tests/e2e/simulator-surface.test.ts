// The simulator claims kayobe 16.8.0's command line. Real kayobe 16.8.0's own parser
// (scripts/ensure-kayobe.sh) and the simulator are put to the same argvs: every command
// of both with each option kayobe has somewhere, the shipped plans' argvs, and bad ones.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { CHECK_SCRIPT } from "../../resources/preflight/check-commands";
import { preflightCommands } from "../../resources/preflight/preflight-step";
import { planUpgrade } from "../../resources/runbook/plan";
import { evaluate, PROJECT, sidesOf, stagingConfig } from "../unit/fixtures";
import { REAL_KAYOBE } from "./workspace";

interface Answer {
  command: string | null;
  error: string | null;
}

function ask(python: string, script: string, args: string[], input = ""): { kayobe: string; results: Answer[]; commands: string[] } {
  const run = spawnSync(python, [script, ...args], { input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  assert.strictEqual(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

const real = (args: string[], input?: string) => ask(path.join(PROJECT, REAL_KAYOBE, "bin", "python"), CHECK_SCRIPT, args, input);
const simulated = (args: string[], input?: string) => ask("python3", path.join(__dirname, "sim_parse.py"), args, input);

/** What a command needs to be accepted at all (its required options and positionals). */
function required(command: string): string[] {
  if (command.endsWith("host package update")) return ["--packages", "*"];
  if (command.endsWith("host command run")) return ["--command", "uptime"];
  const table: Record<string, string[]> = {
    "overcloud service configuration generate": ["--node-config-dir", "/tmp/kolla"],
    "overcloud service configuration validate": ["--output-dir", "/tmp/out"],
    "physical network configure": ["--group", "switches"],
    "playbook run": ["site.yml"],
    "kolla ansible run": ["deploy"],
  };
  return table[command] ?? [];
}

/** Each option some kayobe command takes (and a few none does), with a value where it wants one. */
const PROBES: string[][] = [
  [], ["--bogus"], ["extra-positional"], ["-h"],
  ["-b"], ["-C", "-D"], ["--config-path", "/etc/kayobe"], ["--environment", "staging"], ["-e", "a=b"], ["-i", "inventory"],
  ["-l", "controllers"], ["-l", "a,b"], ["-t", "x"], ["--skip-tags", "x"], ["-lt"], ["-sh", "all"], ["--ask-vault-pass"], ["--ask-vault-pass", "--vault-password-file", "f"],
  ["--kolla-config-path", "/etc/kolla"], ["-ke", "a=b"], ["-ki", "inv"], ["-kl", "x"], ["--kolla-limit", "x"], ["-kp", "p.yml"], ["--kolla-skip-tags", "x"],
  ["-kt", "x"], ["--kolla-tags", "x"], ["--kolla-venv", "/venv"], ["--kolla-t", "x"],
  ["--skip-prechecks"], ["--skip-pre"], ["--wipe-disks"], ["--packages", "*"], ["--security"], ["--command", "x"], ["--show-output"],
  ["--push"], ["--nocache"], ["--force-rebuild"], ["--node-config-dir", "/d"], ["--output-dir", "/d"], ["--include", "x"], ["--exclude", "x"],
  ["--baremetal-compute-limit", "x"], ["--kolla-inventory-filename", "seed"], ["--kolla-inventory-filename", "bogus"],
  ["--yes-i-really-really-mean-it"], ["--incremental"], ["--force-recovery-host", "h"], ["--add-known-hosts"], ["--source-config-path", "/p"],
  ["--host", "h"], ["--hosts", "h"], ["--var-name", "v"], ["--dump-facts", "true"], ["--output-format", "YAML"], ["--output-format", "xml"],
  ["--group", "g"], ["--display"], ["--interface-limit", "x"], ["--interface-description-limit", "x"], ["--enable-discovery"], ["--enable-discovery", "--disable-discovery"],
];

/** Command words as people mistype or shorten them, and global options before the command. */
const BY_HAND: string[][] = [
  [], ["overcloud"], ["overcloud", "service"], ["overcloud", "serv", "upgrade"], ["ov", "se", "up"], ["over", "host", "up"], ["overcloud", "service", "upgarde"],
  ["overcloud", "host", "configure", "--wipe"], ["-v", "control", "host", "upgrade"], ["-q", "control", "host", "upgrade"], ["--debug", "seed", "host", "upgrade"],
  ["--log-file", "/tmp/k.log", "seed", "host", "upgrade"], ["--version"], ["--help"], ["-v", "-q", "seed", "host", "upgrade"], ["control", "host", "upgrade", "-v"],
];

function shippedPlanArgvs(): string[][] {
  return ["staging", "production"].flatMap((stack) => {
    const config = stagingConfig({ stack, environment: stack, stage: stack as "staging" | "production", vipHost: stack === "production" ? "prd-ctl-01" : undefined });
    return preflightCommands(config, sidesOf(config), planUpgrade(config, evaluate(config))).flatMap((preflight) => preflight.checks).filter((item) => item.kind === "kayobe").map(({ argv }) => argv.slice(1));
  });
}

describe("the simulator's command line against real kayobe 16.8.0's parser", function () {
  const realCommands = real(["--commands"]);
  const simulatedCommands = simulated(["--commands"]);
  // cliff's own: interactive completion, which the simulator leaves out.
  const commands = realCommands.commands.filter((c) => c !== "complete");

  it("claims the version it is checked against", () => {
    assert.deepStrictEqual([realCommands.kayobe, simulatedCommands.kayobe], ["16.8.0", "16.8.0"]);
  });

  it("has exactly kayobe's commands", () => {
    assert.deepStrictEqual(simulatedCommands.commands, commands);
  });

  it("accepts and refuses exactly what kayobe does, as the same command, with the same message", () => {
    const argvs = [
      ...commands.filter((c) => c !== "help").flatMap((c) => PROBES.map((probe) => [...c.split(" "), ...required(c), ...probe])),
      ...BY_HAND,
      ...shippedPlanArgvs(),
    ];
    const input = JSON.stringify(argvs);
    const [kayobe, simulator] = [real([], input).results, simulated([], input).results];
    // argparse's refusals are compared word for word; cliff's (unknown command) and help by kind.
    const verdict = (a: Answer) => (a.error === null ? `accepts as ${a.command}` : a.error.includes(": error: ") ? `refuses: ${a.error}` : "refuses");
    const disagreements = argvs.flatMap((argv, i) => (verdict(kayobe[i]) === verdict(simulator[i]) ? [] : [`kayobe ${argv.join(" ")}: kayobe ${verdict(kayobe[i])}; the simulator ${verdict(simulator[i])}`]));
    assert.ok(argvs.length > 4000, `${argvs.length} argvs`);
    assert.ok(kayobe.some((a) => a.error === null) && kayobe.some((a) => a.error !== null), "both verdicts occur");
    assert.deepStrictEqual(disagreements, []);
  });
});
