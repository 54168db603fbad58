// bin/pulumi's companion during `up`: shows the steps' lines as the provider writes them
// (resources/executor/step-record.ts) and keeps the stack's status page current, then, once
// the Pulumi CLI has exited, the run's summary.
import * as fs from "fs";
import { ChannelEntry, processAlive, StepEvent, StepRefusal } from "../executor/step-record";
import { wrap } from "../executor/progress";
import { LivePage } from "./live-page";
import { summariseRun } from "./run-summary";

const POLL_MS = 200;

function follow(file: string, pid: number, stack: string | undefined): void {
  const events: StepEvent[] = [];
  const refusals: StepRefusal[] = [];
  let page = stack === undefined || stack === "" ? undefined : new LivePage(stack);
  // The page is a view: when it cannot be written, the run and its lines go on without it.
  const updatePage = (event?: StepEvent): string[] => {
    try {
      return page === undefined ? [] : wrap("  ", `status page ${page.update(event)}`);
    } catch (err) {
      process.stdout.write(`kayobe-upgrade: the status page is not kept: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      page = undefined;
      return [];
    }
  };
  let offset = 0;
  let partial = "";
  const read = () => {
    const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
    if (size <= offset) return;
    const fd = fs.openSync(file, "r");
    const buffer = Buffer.alloc(size - offset);
    fs.readSync(fd, buffer, 0, buffer.length, offset);
    fs.closeSync(fd);
    offset = size;
    const lines = (partial + buffer.toString("utf8")).split("\n");
    partial = lines.pop()!;
    for (const line of lines.filter((l) => l !== "")) {
      const entry = JSON.parse(line) as ChannelEntry;
      if ("line" in entry) process.stdout.write(`${entry.line}\n`);
      else if ("refused" in entry) refusals.push(entry.refused);
      else {
        events.push(entry.step);
        updatePage(entry.step);
      }
    }
  };
  const tick = () => {
    const running = processAlive(pid);
    read();
    if (running) return void setTimeout(tick, POLL_MS);
    // Where the record of the run is: the logs (in the summary), the state, the page.
    const state = process.env.PULUMI_BACKEND_URL === undefined ? [] : wrap("  ", `state ${process.env.PULUMI_BACKEND_URL}`);
    if (events.length > 0 || refusals.length > 0) process.stdout.write(`\n${[...summariseRun(events, refusals), ...state, ...updatePage()].join("\n")}\n`);
    fs.rmSync(file, { force: true });
  };
  tick();
}

// A Ctrl-C reaches the whole process group: this goes on until the CLI has finished.
process.on("SIGINT", () => undefined);
follow(process.argv[2], Number(process.argv[3]), process.argv[4]);
