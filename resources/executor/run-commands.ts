// Runs a milestone's kayobe commands, in the dynamic provider's process (loaded there at run
// time by resources/provider/milestone.ts, never serialized into the state).
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPlan, CHECK_SCRIPT, formatReport } from "../preflight/check-commands";
import { callsKayobe, kayobeReleaseProblem } from "./kayobe-release";
import type { Command, OverSsh } from "../runbook/phases";
import { renderArgv, renderCommand } from "../runbook/render";
import { kayobeProcessEnv } from "../kayobe/process-env";
import { describeWaiting, nodesInWaitState } from "../runbook/ironic-wait-check";
import { judgeLook } from "./look";
import { waitUntilHealthy } from "./health-wait";
import { judgeRebootCheck } from "./reboot-check";
import type { RebootDecision } from "../config/host-safety";
import { LogFile } from "./log-file";
import { isAbandoned, runInGroup } from "./process-group";
import { Progress } from "./progress";
import { Scrubber } from "./scrub";
import { awaitTurn, clearHolder, interruptionNote, lockFiles, noteHolder, processStart } from "./step-lock";
import { toOperator } from "./step-record";

/** Where and how kayobe runs: the environment kayobe expects, the log, the limits. */
export interface Execution {
  kayobeBin: string;
  kayobeConfigPath: string;
  environment?: string;
  /** The config's kayobe-env exports, then the stack's kayobeEnv. */
  kayobeEnv: Record<string, string>;
  /** The project root: programs given relative to it (smoke tests, the simulator) are found there. */
  cwd: string;
  /** Where commands run: the kayobe-config checkout, as after sourcing its kayobe-env. */
  workingDir: string;
  logDir: string;
  /** The stack's scratch folder, on the control host: its kayobe lock is there. */
  scratchDir: string;
  /** How long the whole milestone may take. */
  timeoutSeconds: number;
  /** The release the step runs at (its side's): its kayobe must be of it. */
  release: string;
  /** The stack's decisions for hosts that cannot say whether they need a reboot; none when it has none. */
  rebootWithoutAnswer?: Record<string, RebootDecision>;
}

/** What never appears in the state, a log, an error or a command line. */
export interface Secrets {
  vaultPassword: string;
  /** Secret environment for kayobe (e.g. cloud credentials), from the stack's secret config. */
  env: Record<string, string>;
  /** For commands over SSH; only the milestones that have such commands carry it. */
  sshPrivateKey?: string;
}

/** What one command did, as the milestone's outputs record it. */
export interface CommandRecord {
  /** The command as the runbook writes it. */
  command: string;
  /** What actually ran, after `$KAYOBE_CONFIG_PATH` and the kayobe executable were resolved (empty for file operations). */
  argv: string[];
  exitCode: number;
  startedAt: string;
  endedAt: string;
  /** What the command decided, e.g. which hosts need a reboot. */
  decision?: string;
  /** A file the command produced for the operator to read. */
  file?: string;
}

export interface MilestoneRun {
  commands: CommandRecord[];
  log: string;
  /** What the cloud was found to have done already, where a look spared running something (IfStillToDo's `done`). */
  foundDone: string[];
  /** Commands of an earlier run that never ended (its provider or engine was killed), found by this one. */
  interrupted: string[];
}

const TAIL_LINES = 20;

/**
 * The log file of a run of a milestone. A batch of many hypervisors makes a long
 * milestone name; file systems refuse names over 255 bytes, so a long one is cut and a
 * digest of it keeps it unique.
 */
export function logFileName(milestone: string, at: Date): string {
  const name = milestone.length <= 150 ? milestone : `${milestone.slice(0, 133)}-${createHash("sha256").update(milestone).digest("hex").slice(0, 16)}`;
  return `${name}.${at.toISOString().replace(/[:.]/g, "-")}.log`;
}

export interface RunOptions {
  /** Where progress goes; by default the operator's terminal. */
  report?: (line: string) => void;
  /** The step's progress, when the caller shows its start and end too. */
  progress?: Progress;
  /** Told the log file before the first command runs. */
  started?: (log: string) => void;
  /** The private key for commands over SSH; without it, ssh uses the agent or the user's own keys. */
  sshPrivateKey?: string;
}

/**
 * Runs `commands` in order, kayobe's as argv arrays (never through a shell), stopping at
 * the first failure with an error that names the command, its exit code and the tail
 * of its output. All output goes to one log file per run of the milestone, and, as it
 * comes, throttled, to `report`.
 */
export async function runCommands(milestone: string, commands: Command[], execution: Execution, secrets: Secrets, options: RunOptions = {}): Promise<MilestoneRun> {
  fs.mkdirSync(execution.logDir, { recursive: true });
  const log = path.join(execution.logDir, logFileName(milestone, new Date()));
  // Logs and what the scratch folder keeps (the kolla config saved for the diff, with the
  // services' credentials) are for the operator's eyes only.
  const logFile = new LogFile(log);
  fs.mkdirSync(execution.scratchDir, { recursive: true });
  fs.chmodSync(execution.scratchDir, 0o700);
  const progress = options.progress ?? new Progress({ milestone }, options.report ?? toOperator);
  progress.start(log);
  options.started?.(log);
  const scrubber = scrubberOf(secrets);
  const env = kayobeProcessEnv(execution, secrets.vaultPassword, secrets.env);
  const deadline = Date.now() + execution.timeoutSeconds * 1000;
  // Before anything runs: a kayobe of another release would run the step with that release's defaults.
  const wrongKayobe = callsKayobe(commands) ? kayobeReleaseProblem(execution.kayobeBin, env, execution.release) : undefined;
  if (wrongKayobe !== undefined) throw new Error(`${milestone}: ${wrongKayobe}`);
  const records: CommandRecord[] = [];
  const lock = lockFiles(execution.scratchDir);
  const interrupted: string[] = [];
  const providerStart = processStart(process.pid) ?? "";
  const fail = (record: CommandRecord, reason: string, output: string): never => {
    const tail = scrubber.hide(output).trimEnd().split("\n").slice(-TAIL_LINES).join("\n");
    throw new Error(`${record.command}: ${reason}. Full output: ${log}\n--- last lines of output ---\n${tail}`);
  };
  /** argv as it runs: `$KAYOBE_CONFIG_PATH` expanded, kayobe the stack's, a relative program the project's. */
  const resolved = (template: string[]) => {
    const argv = template.map((arg) => arg.split("$KAYOBE_CONFIG_PATH").join(execution.kayobeConfigPath));
    if (argv[0] === "kayobe") argv[0] = execution.kayobeBin;
    else if (argv[0].includes("/")) argv[0] = path.resolve(execution.cwd, argv[0]);
    return argv;
  };
  // `as`: the command as the runbook writes it, when that is not simply its argv.
  const run = async (template: string[], options: { accept?: number[]; anyExitCode?: boolean; stdoutTo?: string; as?: Command; removeAfter?: string } = {}) => {
    const argv = resolved(template);
    const command = renderCommand(options.as ?? template);
    logFile.append(`$ ${command}\n`);
    progress.announce(command);
    // The log and the terminal get the output scrubbed as one stream, so a secret split
    // across chunks or lines is masked in both.
    const show = (text: string) => {
      logFile.append(text);
      progress.write(text);
    };
    const left = await awaitTurn(lock).catch((err: Error) => {
      throw new Error(`${command}: ${err.message}`);
    });
    if (left !== undefined) {
      interrupted.push(interruptionNote(left));
      logFile.append(`[${interruptionNote(left)}]\n`);
    }
    const startedAt = new Date().toISOString();
    const result = await runInGroup(argv, {
      env,
      cwd: execution.workingDir,
      deadline,
      lock: lock.lock,
      stdoutTo: options.stdoutTo,
      removeAfter: options.removeAfter,
      onOutput: (chunk) => show(scrubber.push(chunk)),
      onStart: (spawned) => noteHolder(lock, { ...spawned, step: milestone, command, log, startedAt, provider: process.pid, providerStart }),
    });
    // An abandoned command's note stays: the next run records that it was interrupted.
    if (!isAbandoned()) clearHolder(lock);
    show(scrubber.flush());
    progress.end();
    logFile.check();
    const record: CommandRecord = { command, argv, exitCode: result.exitCode ?? -1, startedAt, endedAt: new Date().toISOString() };
    records.push(record);
    const accepted = result.failure === undefined || (result.exitCode !== null && (options.anyExitCode || (options.accept ?? []).includes(result.exitCode)));
    logFile.append(`[exit ${result.exitCode ?? "none"}${accepted ? "" : `: ${result.failure}`}]\n`);
    if (!accepted) fail(record, result.failure!, result.output);
    return { record, output: result.output };
  };
  const fileOperation = (command: Command, operation: () => void): CommandRecord => {
    const startedAt = new Date().toISOString();
    operation();
    const record = { command: renderCommand(command), argv: [], exitCode: 0, startedAt, endedAt: new Date().toISOString() };
    logFile.append(`$ ${record.command}\n`);
    records.push(record);
    return record;
  };

  const foundDone: string[] = [];
  const refusals: string[] = [];
  // A queue, not a loop over `commands`: an if-still-to-do puts what it decides to run first.
  const queue = [...commands];
  for (let command = queue.shift(); command !== undefined; command = queue.shift()) {
    if (Array.isArray(command)) {
      await run(command);
      continue;
    }
    switch (command.kind) {
      case "reboot-if-required": {
        // needs-restarting -r exits 1 on a host that needs a reboot, and kayobe 2: an answer, not a failure.
        const check = await run(command.check, { accept: [2] });
        const verdict = judgeRebootCheck(check.output, execution.rebootWithoutAnswer ?? {});
        if ("refusal" in verdict) fail(check.record, verdict.refusal, check.output);
        else {
          check.record.decision = verdict.decision;
          logFile.append(`[${verdict.decision}]\n`);
          if (verdict.reboot.length > 0) await run(command.reboot);
        }
        break;
      }
      case "refuse-nodes-in-wait-state": {
        // The whole answer, kept in a file: the output the executor keeps is only a tail.
        const answer = path.join(execution.scratchDir, "baremetal-node-list.json");
        const { record, output } = await run(command.argv, { stdoutTo: answer, as: command });
        record.file = answer;
        let waiting: string[] = [];
        try {
          waiting = nodesInWaitState(fs.readFileSync(answer, "utf8"));
        } catch (err) {
          fail(record, (err as Error).message, output);
        }
        record.decision = describeWaiting(waiting);
        logFile.append(`[${waiting.length === 0 ? record.decision : `in a wait state: ${waiting.join(", ")}`}]\n`);
        if (waiting.length > 0) fail(record, `${command.reason}; ${record.decision}`, waiting.join("\n"));
        break;
      }
      case "fix-up-paths":
        fileOperation(command, () => {
          for (const host of fs.readdirSync(command.dir)) {
            const from = path.join(command.dir, host, "tmp");
            if (fs.existsSync(from)) fs.renameSync(from, path.join(command.dir, host, "etc"));
          }
        });
        break;
      case "diff": {
        // diff exits 1 when the configurations differ, which is what the preview is for.
        const { record } = await run(["diff", "-ru", command.old, command.new], { accept: [1], stdoutTo: command.output, as: command });
        record.file = command.output;
        break;
      }
      case "remove":
        fileOperation(command, () => fs.rmSync(command.path, { recursive: true, force: true }));
        break;
      case "preflight": {
        const startedAt = new Date().toISOString();
        const report = checkPlan(command);
        const rendered = formatReport(report);
        logFile.append(`$ ${renderCommand(command)}\n${rendered}\n`);
        const refused = report.mismatches.length > 0;
        const decision = rendered.split("\n")[0].replace(/:$/, "") + (report.warnings.length > 0 ? `; ${report.warnings.length} warnings` : "");
        records.push({ command: renderCommand(command), argv: [report.python, CHECK_SCRIPT], exitCode: refused ? 1 : 0, startedAt, endedAt: new Date().toISOString(), decision });
        // Every mismatch of every side, not a tail: the operator fixes them all before the window.
        if (refused) refusals.push(`${renderCommand(command)}: ${rendered}`);
        if (refusals.length > 0 && !queue.some((next) => !Array.isArray(next) && next.kind === "preflight")) throw new Error(`${refusals.join("\n")}\nFull report: ${log}`);
        break;
      }
      case "ssh":
        await withKeyFile(secrets.sshPrivateKey, (keyFile) => run(sshArgv(command, keyFile), { as: command, removeAfter: keyFile && path.dirname(keyFile) }));
        break;
      case "with-openrc": {
        // The credentials stay in the command's environment, read by bash from the file.
        const openrc = `$KOLLA_CONFIG_PATH/${command.openrc}`;
        const [program, ...args] = resolved(command.argv);
        await run(["bash", "-c", `. "${openrc}" >/dev/null && exec "$0" "$@"`, program, ...args], { as: command });
        break;
      }
      case "if-still-to-do": {
        // kayobe exits 2 when a host's grep finds nothing: an answer, not a failure.
        const look = await run(command.look, { accept: [2] });
        const verdict = judgeLook(command, look.record.exitCode, look.output);
        if ("refusal" in verdict) fail(look.record, verdict.refusal, look.output);
        else {
          look.record.decision = verdict.decision;
          logFile.append(`[${verdict.decision}]\n`);
          if (verdict.toDo) queue.unshift(...command.then);
          else foundDone.push(command.done);
        }
        break;
      }
      case "wait":
        await run(["sleep", String(command.seconds)], { as: command });
        break;
      case "until-healthy": {
        let last: CommandRecord | undefined;
        const verdict = await waitUntilHealthy(
          command,
          async (check) => {
            // kayobe exits 2 when a host's check fails, an answer; any other failure of kayobe's is not. The operator's checks answer by any exit code.
            const { record, output } = await run(check.argv, check.argv[0] === "kayobe" ? { accept: [2] } : { anyExitCode: true });
            last = record;
            return { exitCode: record.exitCode, output };
          },
          (line) => {
            logFile.append(`[${line}]\n`);
            progress.write(`${line}\n`);
          },
        );
        if ("refusal" in verdict) fail(last!, verdict.refusal, verdict.output);
        else if (last !== undefined) last.decision = verdict.decision;
        break;
      }
    }
  }
  logFile.check();
  return { commands: records, log, foundDone, interrupted };
}

/** What masks the secrets in a step's output, the log and the files it leaves to review. */
export function scrubberOf(secrets: Secrets): Scrubber {
  return new Scrubber([secrets.vaultPassword, secrets.sshPrivateKey ?? "", ...Object.values(secrets.env)].filter((value) => value !== ""));
}

/** Non-interactive: no password prompt, no host key question, a bounded wait for the host. */
function sshArgv(command: OverSsh, keyFile: string | undefined): string[] {
  const identity = keyFile === undefined ? [] : ["-i", keyFile, "-o", "IdentitiesOnly=yes"];
  const options = ["BatchMode=yes", "StrictHostKeyChecking=accept-new", `UserKnownHostsFile=${command.knownHosts}`, "ConnectTimeout=30"].flatMap((o) => ["-o", o]);
  fs.mkdirSync(path.dirname(command.knownHosts), { recursive: true });
  return ["ssh", "-p", String(command.port), ...options, ...identity, command.destination, renderArgv(command.argv)];
}

/** ssh reads a key from a file only: one only this user can read, gone when the command ends (removed by the guard too, should this process be killed). */
async function withKeyFile<T>(key: string | undefined, use: (file: string | undefined) => Promise<T>): Promise<T> {
  if (key === undefined) return use(undefined);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-upgrade-ssh-"));
  const file = path.join(dir, "id");
  fs.writeFileSync(file, key.endsWith("\n") ? key : `${key}\n`, { mode: 0o600 });
  try {
    return await use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
