// One kayobe per stack at a time. The lock is an flock on a file in the stack's scratch
// folder, held by the running command's processes (./guard.sh): it is free only once they
// are all gone, whoever died. Beside it, a note of who holds it, for the run that finds it
// held; the note stays when its run never ended (provider or engine killed), and tells the
// next run what was interrupted.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { signalCommand, Spawned } from "./process-group";

export interface Holder extends Spawned {
  step: string;
  command: string;
  log: string;
  startedAt: string;
  /** The provider that runs the command, and when it started (a pid alone may be reused). */
  provider: number;
  providerStart: string;
}

export interface LockFiles {
  lock: string;
  note: string;
}

export function lockFiles(scratchDir: string): LockFiles {
  return { lock: path.join(scratchDir, "kayobe.lock"), note: path.join(scratchDir, "kayobe.lock.json") };
}

/** When process `pid` started (clock ticks since boot), or undefined when there is none (or only its zombie). */
export function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may hold spaces and parentheses: the 3rd is the state, the 22nd the start time.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

function readHolder(note: string): Holder | undefined {
  try {
    return JSON.parse(fs.readFileSync(note, "utf8")) as Holder;
  } catch {
    return undefined;
  }
}

function isFree(lock: string): boolean {
  return spawnSync("flock", ["--nonblock", lock, "true"]).status === 0;
}

export function describeHolder(holder: Holder): string {
  return `step ${holder.step} ran \`${holder.command}\` (process group ${holder.pid}, since ${holder.startedAt}; log ${holder.log})`;
}

/** What a step's record keeps of the interrupted run it found. */
export function interruptionNote(holder: Holder): string {
  return `interrupted: ${describeHolder(holder)}; its processes were gone before this run went on`;
}

/** Records who holds the lock now. */
export function noteHolder(files: LockFiles, holder: Holder): void {
  fs.writeFileSync(files.note, JSON.stringify(holder), { mode: 0o600 });
}

/** The command ended as it should: nothing to tell the next run. */
export function clearHolder(files: LockFiles): void {
  fs.rmSync(files.note, { force: true });
}

const POLL_MS = 100;

/**
 * Waits until the stack's lock is free. A lock held for a live provider (another `pulumi
 * up`, after a `pulumi cancel`) is refused at once, naming its step, pid and log. A lock
 * whose provider is gone is being let go by the guard's watchdog; past half of `waitMs`
 * its command is killed from here. Returns the holder an interrupted run left, if any.
 */
export async function awaitTurn(files: LockFiles, waitMs = 30000): Promise<Holder | undefined> {
  fs.mkdirSync(path.dirname(files.lock), { recursive: true });
  const started = Date.now();
  while (!isFree(files.lock)) {
    const holder = readHolder(files.note);
    if (holder !== undefined && holder.provider !== process.pid && processStart(holder.provider) === holder.providerStart) {
      throw new Error(`another run of this stack's kayobe is in progress: ${describeHolder(holder)}, started by provider process ${holder.provider}; wait for it to end, or end it, then run again`);
    }
    const waited = Date.now() - started;
    if (waited > waitMs) throw new Error(`the stack's lock ${files.lock} is still held ${Math.round(waited / 1000)} s after the run holding it ended${holder === undefined ? "" : ` (${describeHolder(holder)})`}`);
    if (holder !== undefined && waited > waitMs / 2) signalCommand(holder.pid, holder.token, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return readHolder(files.note);
}
