// Process handling for the executor: each command runs under ./guard.sh, which makes it a
// process group of its own holding the stack's lock, and ends it if the provider dies.
// A timeout or an interruption ends the whole command: its group and any process that
// left the group (setsid) but carries the command's token.
import { spawn } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { findExecutable } from "../config/paths";

const GUARD = path.join(__dirname, "guard.sh");
const KILL_GRACE_MS = 5000;
const TOKEN_VARIABLE = "KAYOBE_UPGRADE_RUN";

export interface Result {
  exitCode: number | null;
  /** Why the command counts as failed; undefined when it succeeded. */
  failure?: string;
  output: string;
}

export interface Spawned {
  /** The guard's pid: the command's process group. */
  pid: number;
  token: string;
}

export interface GroupOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Epoch ms when the milestone's time runs out. */
  deadline: number;
  /** The stack's lock file, held by the command's processes while any lives. */
  lock: string;
  stdoutTo?: string;
  /** Removed once every process of the command is gone, even if the provider is killed (a key file). */
  removeAfter?: string;
  onOutput: (chunk: string) => void;
  /** Called once the command's processes exist, before any output. */
  onStart?: (spawned: Spawned) => void;
}

/** The pids of the processes carrying `token` in their environment. */
export function members(token: string): number[] {
  const wanted = Buffer.from(`${TOKEN_VARIABLE}=${token}`);
  return fs.readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const environ = fs.readFileSync(`/proc/${entry}/environ`);
      return environ.toString("latin1").split("\0").includes(wanted.toString("latin1")) ? [Number(entry)] : [];
    } catch {
      return []; // Gone meanwhile, or another user's.
    }
  });
}

/** Sends `signal` to the process group `pgid` and to every process of `token`. */
export function signalCommand(pgid: number, token: string, signal: NodeJS.Signals): void {
  for (const target of [-pgid, ...members(token)]) {
    try {
      process.kill(target, signal);
    } catch {
      // Already gone.
    }
  }
}

/** The commands running now, so that the provider can end them all when the engine is gone. */
const running = new Set<(why: string) => Promise<void>>();
let abandoned = false;

/** Ends every running command, for good; resolves once each has ended. */
export async function stopAll(why: string): Promise<void> {
  abandoned = true;
  await Promise.all([...running].map((stop) => stop(why)));
}

/** Whether this process's commands were ended because no one waits for them any more (stopAll). */
export function isAbandoned(): boolean {
  return abandoned;
}

/** Runs argv (never through a shell) under the guard; resolves with its outcome. */
export function runInGroup(argv: string[], options: GroupOptions): Promise<Result> {
  // The guard execs the program: one that cannot be started would fail as a shell's would.
  if (findExecutable(argv[0], options.env.PATH) === undefined) return Promise.resolve({ exitCode: null, failure: `could not start ${argv[0]}: no such executable`, output: "" });
  return new Promise((resolve) => {
    const stdout = options.stdoutTo === undefined ? "pipe" : fs.openSync(options.stdoutTo, "w", 0o600);
    const token = randomBytes(12).toString("hex");
    let output = "";
    let stopped: string | undefined;
    const child = spawn(GUARD, [options.lock, String(process.pid), token, options.removeAfter ?? "", ...argv], { cwd: options.cwd, env: options.env, stdio: ["ignore", stdout, "pipe"], detached: true });
    if (typeof stdout === "number") fs.closeSync(stdout);
    const pid = child.pid!;
    let ended: () => void = () => undefined;
    const gone = new Promise<void>((resolveGone) => (ended = resolveGone));
    const end = () => {
      signalCommand(pid, token, "SIGTERM");
      setTimeout(() => signalCommand(pid, token, "SIGKILL"), KILL_GRACE_MS).unref();
    };
    const stop = (why: string) => {
      stopped ??= why;
      end();
      return gone;
    };
    running.add(stop);
    options.onStart?.({ pid, token });
    // An interruption (Ctrl-C through bin/pulumi, the engine stopping its plugins, a
    // service manager's SIGTERM) ends the command now rather than when it is done.
    const interrupted = (signal: NodeJS.Signals) => void stop(`interrupted by ${signal}; the milestone stays pending and runs again next time`);
    process.on("SIGINT", interrupted);
    process.on("SIGTERM", interrupted);
    const collect = (data: Buffer) => {
      const chunk = data.toString();
      // Only the tail is reported; the log has everything.
      output = (output + chunk).slice(-64 * 1024);
      options.onOutput(chunk);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const timer = setTimeout(() => void stop("the milestone's time (kayobe-upgrade:milestoneTimeout) ran out"), Math.max(0, options.deadline - Date.now()));
    // A child that outlives kayobe holding its output would keep the pipes open: what is
    // left of the command once kayobe ended is ended too.
    child.on("exit", end);
    const settle = () => {
      clearTimeout(timer);
      running.delete(stop);
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
      ended();
    };
    child.on("error", (err) => {
      settle();
      resolve({ exitCode: null, failure: `could not start ${argv[0]}: ${err.message}`, output });
    });
    child.on("close", (code, signal) => {
      settle();
      if (stopped !== undefined) resolve({ exitCode: code, failure: stopped, output });
      else if (signal !== null) resolve({ exitCode: code, failure: `killed by ${signal}`, output });
      else if (code !== 0) resolve({ exitCode: code, failure: `exited with code ${code}`, output });
      else resolve({ exitCode: 0, output });
    });
  });
}
