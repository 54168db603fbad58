// The preflight's check: every kayobe command of a plan put to the installed kayobe's
// own argument parser (check_argv.py, run by the python of kayobe's virtualenv), and
// every script the plan runs looked for. Nothing of the plan runs.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findExecutable } from "../config/paths";
import { renderArgv } from "../runbook/render";
import type { Command, Preflight, PreflightCheck } from "../runbook/phases";
import { seriesOfKayobe } from "../runbook/releases";

export const CHECK_SCRIPT = path.join(__dirname, "check_argv.py");

/** A command of the plan and what the preflight found wrong with it, or warns of. */
export interface Finding {
  milestone: string;
  command: string;
  reason: string;
}

export interface PreflightReport {
  /** kayobe's version, as it reports it. */
  kayobe: string;
  python: string;
  /** How many kayobe commands and scripts were checked. */
  checked: number;
  mismatches: Finding[];
  warnings: Finding[];
}

/** What kayobe's parser answers for one argv (check_argv.py). */
interface ParserAnswer {
  command: string | null;
  error: string | null;
  warnings: string[];
  playbooks: string[];
}

/**
 * The kayobe argvs of a plan (a reboot-if-required has two, an if-still-to-do its look
 * and what it may run), and the scripts it runs (anything named by a path), one of each
 * shape: at a thousand hypervisors the plan's commands are mostly the same few with
 * another `--limit`, and the preflight's inputs, kept in the state, would hold each of them. Other programs (sleep, diff, the baremetal
 * client) and file operations are not kayobe's, so there is nothing of kayobe's to check
 * them with.
 */
export function checkables(plan: { name: string; commands: Command[] }[]): PreflightCheck[] {
  const argvs = (commands: Command[]): string[][] =>
    commands.flatMap((c) => (Array.isArray(c) ? [c] : c.kind === "reboot-if-required" ? [c.check, c.reboot] : c.kind === "with-openrc" ? [c.argv] : c.kind === "if-still-to-do" ? [c.look, ...argvs(c.then)] : c.kind === "until-healthy" ? c.checks.map((check) => check.argv) : []));
  const shapes = new Map<string, PreflightCheck>();
  for (const { name, commands } of plan) {
    for (const argv of argvs(commands)) {
      const kind = argv[0] === "kayobe" ? "kayobe" : argv[0].includes("/") ? "script" : undefined;
      if (kind === undefined) continue;
      const shape = kind === "script" ? argv[0] : JSON.stringify(argv.map((arg, i) => (LIMIT.includes(argv[i - 1]) && !arg.startsWith("-") ? "<hosts>" : arg)));
      const alike = shapes.get(shape);
      if (alike === undefined) shapes.set(shape, { milestone: name, kind, argv, alike: 0 });
      else alike.alike++;
    }
  }
  return [...shapes.values()];
}

/** kayobe's options naming the hosts a command is limited to. */
const LIMIT = ["--limit", "-l"];

/** The python of the virtualenv `kayobeBin` is installed in, if there is one. */
export function pythonNextTo(kayobeBin: string): string | undefined {
  const bin = findExecutable(kayobeBin);
  if (bin === undefined) return undefined;
  return ["python", "python3"].map((name) => path.join(path.dirname(bin), name)).find(isExecutable);
}

/** Runs the check. Throws only when kayobe's parser cannot be consulted at all. */
export function checkPlan(preflight: Preflight): PreflightReport {
  const python = pythonNextTo(preflight.kayobeBin);
  if (python === undefined) throw new Error(`preflight: no python next to ${preflight.kayobeBin}: expected kayobe installed in a virtualenv`);
  const expand = (arg: string) => arg.split("$KAYOBE_CONFIG_PATH").join(preflight.kayobeConfigPath);
  const kayobes = preflight.checks.filter((check) => check.kind === "kayobe");
  const { version, answers } = askParser(python, kayobes.map(({ argv }) => argv.slice(1)));
  const answerFor = new Map(kayobes.map((check, i) => [check, answers[i]]));
  const mismatches: Finding[] = [];
  // Another release's parser would pass commands this release's kayobe refuses, and the reverse.
  const deploys = seriesOfKayobe(version);
  if (deploys !== preflight.release) {
    const key = preflight.side === "source" ? "sourcePreflightKayobeBin" : "preflightKayobeBin";
    mismatches.push({
      milestone: `the ${preflight.side} release's steps`,
      command: preflight.kayobeBin,
      reason: `kayobe ${version} is ${deploys === undefined ? "of no release this project knows" : `the kayobe of ${deploys}`}, not of ${preflight.release}, where these commands run: set kayobe-upgrade:${key} to a kayobe of ${preflight.release} (scripts/ensure-kayobe.sh VERSION installs one from PyPI)`,
    });
  }
  const warnings: Finding[] = [];
  for (const item of preflight.checks) {
    const alike = item.alike === 0 ? "" : ` (and ${item.alike} like it ${item.kind === "kayobe" ? "for other hosts" : "with other arguments"})`;
    const finding = (reason: string) => ({ milestone: `${item.milestone}${alike}`, command: renderArgv(item.argv), reason });
    if (item.kind === "script") {
      const script = expand(item.argv[0]);
      const problem = !fs.existsSync(script) ? "does not exist" : !isExecutable(script) ? "is not executable" : undefined;
      if (problem) mismatches.push(finding(`${script} ${problem}`));
      continue;
    }
    const answer = answerFor.get(item)!;
    if (answer.error !== null) mismatches.push(finding(answer.error));
    // kayobe's own check before it runs a playbook (ansible.py _validate_args).
    for (const playbook of answer.playbooks.map(expand)) if (!isReadableFile(playbook)) mismatches.push(finding(`Kayobe playbook ${playbook} is invalid: not a readable file`));
    warnings.push(...answer.warnings.map(finding));
  }
  const checked = preflight.checks.reduce((sum, check) => sum + 1 + check.alike, 0);
  return { kayobe: version, python, checked, mismatches, warnings };
}

function askParser(python: string, argvs: string[][]): { version: string; answers: ParserAnswer[] } {
  const run = spawnSync(python, [CHECK_SCRIPT], { input: JSON.stringify(argvs), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) {
    const why = run.error?.message ?? run.stderr.trim().split("\n").slice(-3).join("\n");
    throw new Error(`preflight: cannot consult kayobe's parser with ${python}: ${why}`);
  }
  const { kayobe, results } = JSON.parse(run.stdout) as { kayobe: string; results: ParserAnswer[] };
  return { version: kayobe, answers: results };
}

/** The report as an operator reads it: each mismatch with its command and the reason. */
export function formatReport(report: PreflightReport): string {
  const lines = (findings: Finding[]) => findings.map((f) => `  ${f.milestone}: ${f.command}\n    ${f.reason}`);
  const verdict =
    report.mismatches.length === 0
      ? `all ${report.checked} commands accepted by kayobe ${report.kayobe} (${report.python})`
      : `${report.mismatches.length} of ${report.checked} commands not accepted by kayobe ${report.kayobe} (${report.python}):`;
  const warned = report.warnings.length === 0 ? [] : [`${report.warnings.length} warnings:`, ...lines(report.warnings)];
  return [verdict, ...lines(report.mismatches), ...warned].join("\n");
}

const isExecutable = (file: string) => isFileWith(file, fs.constants.X_OK);
const isReadableFile = (file: string) => isFileWith(file, fs.constants.R_OK);

function isFileWith(file: string, mode: number): boolean {
  try {
    fs.accessSync(file, mode);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
