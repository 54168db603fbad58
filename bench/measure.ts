// Wall time and peak memory of a command and every process it starts.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";

export interface Measurement {
  seconds: number;
  /** Highest sum of the resident memory of the process tree, sampled every 100 ms. */
  peakMiB: number;
  /** The machine's 1-minute load average when it ended: other work on the machine. */
  load: number;
}

const PAGE = 4096;

/** Resident bytes of `root` and its descendants, from /proc. */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which may hold spaces: state ppid ... rss is field 24.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
      rss.set(pid, Number(fields[21]) * PAGE);
    } catch {
      // Gone while listing.
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Runs argv to its end; throws with its output unless it succeeds. */
export function measure(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (data: Buffer) => (output = (output + data.toString()).slice(-20000));
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), 100);
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(sampler);
      if (code === 0) resolve({ seconds, peakMiB: peak / 2 ** 20, load: os.loadavg()[0] });
      else reject(new Error(`${argv.join(" ")} exited ${code}\n${output}`));
    });
  });
}
