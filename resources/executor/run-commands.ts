// Runs a milestone's kayobe commands. This module is serialized into every milestone's
// state with the dynamic provider, so it imports Node.js built-ins only and stays small.
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** Where and how kayobe runs: the environment kayobe expects, the log, the limits. */
export interface Execution {
  kayobeBin: string;
  kayobeConfigPath: string;
  environment?: string;
  kayobeEnv: Record<string, string>;
  /** The directory commands run in (the project root). */
  cwd: string;
  logDir: string;
  timeoutSeconds: number;
}

/** What one command did, as the milestone's outputs record it. */
export interface CommandRecord {
  /** The command as the runbook writes it. */
  command: string;
  /** What actually ran, after `$KAYOBE_CONFIG_PATH` and the kayobe executable were resolved. */
  argv: string[];
  exitCode: number;
  startedAt: string;
  endedAt: string;
}

export interface MilestoneRun {
  commands: CommandRecord[];
  log: string;
}

const TAIL_LINES = 20;
const KILL_GRACE_MS = 5000;

/** Shell-like rendering of argv, for logs and messages (never executed through a shell). */
export function renderCommand(argv: string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./$\[\]-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, "\\$1")}"`)).join(" ");
}

/**
 * Runs `commands` in order, each as an argv array (never through a shell), stopping at
 * the first failure with an error that names the command, its exit code and the tail
 * of its output. All output goes to one log file per run of the milestone.
 */
export async function runCommands(milestone: string, commands: string[][], execution: Execution, vaultPassword: string): Promise<MilestoneRun> {
  fs.mkdirSync(execution.logDir, { recursive: true });
  const log = path.join(execution.logDir, `${milestone}.${new Date().toISOString().replace(/[:.]/g, "-")}.log`);
  const scrub = (text: string) => (vaultPassword === "" ? text : text.split(vaultPassword).join("********"));
  const env = kayobeEnvironment(execution, vaultPassword);
  const records: CommandRecord[] = [];
  for (const command of commands) {
    const argv = command.map((arg) => arg.split("$KAYOBE_CONFIG_PATH").join(execution.kayobeConfigPath));
    if (argv[0] === "kayobe") argv[0] = execution.kayobeBin;
    const rendered = renderCommand(command);
    fs.appendFileSync(log, `$ ${rendered}\n`);
    const startedAt = new Date().toISOString();
    const result = await runOne(argv, env, execution, (chunk) => fs.appendFileSync(log, scrub(chunk)));
    const endedAt = new Date().toISOString();
    fs.appendFileSync(log, `[exit ${result.exitCode ?? "none"}${result.failure ? `: ${result.failure}` : ""}]\n`);
    records.push({ command: rendered, argv, exitCode: result.exitCode ?? -1, startedAt, endedAt });
    if (result.failure !== undefined) {
      const tail = scrub(result.output).trimEnd().split("\n").slice(-TAIL_LINES).join("\n");
      throw new Error(`${rendered}: ${result.failure}. Full output: ${log}\n--- last lines of output ---\n${tail}`);
    }
  }
  return { commands: records, log };
}

function kayobeEnvironment(execution: Execution, vaultPassword: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...execution.kayobeEnv };
  env.KAYOBE_CONFIG_PATH = execution.kayobeConfigPath;
  if (execution.environment === undefined) delete env.KAYOBE_ENVIRONMENT;
  else env.KAYOBE_ENVIRONMENT = execution.environment;
  // kayobe refuses both at once; the stack's secret is the one that counts.
  delete env.ANSIBLE_VAULT_PASSWORD_FILE;
  env.KAYOBE_VAULT_PASSWORD = vaultPassword;
  return env;
}

interface Result {
  exitCode: number | null;
  /** Why the command counts as failed; undefined when it succeeded. */
  failure?: string;
  output: string;
}

function runOne(argv: string[], env: NodeJS.ProcessEnv, execution: Execution, onOutput: (chunk: string) => void): Promise<Result> {
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    // kayobe runs ansible-playbook, which forks: its own process group lets a timeout or
    // an interruption end the whole tree, not just kayobe.
    const child = spawn(argv[0], argv.slice(1), { cwd: execution.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const signalTree = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    // Being interrupted (the engine sends SIGINT, a service manager SIGTERM) ends the command too.
    const interrupted = () => signalTree("SIGTERM");
    process.on("SIGINT", interrupted);
    process.on("SIGTERM", interrupted);
    const collect = (data: Buffer) => {
      const chunk = data.toString();
      // Only the tail is reported; the log has everything.
      output = (output + chunk).slice(-64 * 1024);
      onOutput(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => {
      timedOut = true;
      signalTree("SIGTERM");
      setTimeout(() => signalTree("SIGKILL"), KILL_GRACE_MS).unref();
    }, execution.timeoutSeconds * 1000);
    const settle = () => {
      clearTimeout(timer);
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
    };
    child.on("error", (err) => {
      settle();
      resolve({ exitCode: null, failure: `could not start ${argv[0]}: ${err.message}`, output });
    });
    child.on("close", (code, signal) => {
      settle();
      if (timedOut) resolve({ exitCode: code, failure: `timed out after ${execution.timeoutSeconds} s`, output });
      else if (signal !== null) resolve({ exitCode: code, failure: `killed by ${signal}`, output });
      else if (code !== 0) resolve({ exitCode: code, failure: `exited with code ${code}`, output });
      else resolve({ exitCode: 0, output });
    });
  });
}
