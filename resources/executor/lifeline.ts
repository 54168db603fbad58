// The dynamic provider outlives a Pulumi CLI killed abruptly (kill -9, an OOM kill, a
// SIGHUP not through bin/pulumi, `| head` closing its output): the engine's plugins are in
// process groups of their own. It watches the CLI and, when it is gone, ends its commands and exits.
import * as fs from "fs";
import { stopAll } from "./process-group";
import { processStart } from "./step-lock";

const POLL_MS = 1000;
let watching = false;

/** This process's ancestors up to the Pulumi CLI, with their start times; none when not run by it. */
function ancestorsToCli(): { pid: number; start: string }[] {
  const chain: { pid: number; start: string }[] = [];
  for (let pid = process.ppid; pid > 1 && chain.length < 4; ) {
    const start = processStart(pid);
    if (start === undefined) return [];
    chain.push({ pid, start });
    if (fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "pulumi") return chain;
    pid = Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
  }
  return [];
}

/** Starts watching the CLI, once per process. */
export function watchEngine(): void {
  if (watching) return;
  watching = true;
  const chain = ancestorsToCli();
  if (chain.length === 0) return;
  const cli = chain[chain.length - 1].pid;
  const timer = setInterval(() => {
    if (chain.every(({ pid, start }) => processStart(pid) === start)) return;
    clearInterval(timer);
    console.error(`the Pulumi CLI (pid ${cli}) is gone: ending this provider's kayobe commands`);
    void stopAll(`the Pulumi CLI (pid ${cli}) ended while the command ran`).then(() => process.exit(1));
  }, POLL_MS);
  timer.unref();
}
