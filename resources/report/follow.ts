// bin/pulumi's companion during `up`: shows the steps' lines as the provider writes them
// (resources/executor/step-record.ts), then, once the Pulumi CLI has exited, the run's summary.
import * as fs from "fs";
import { ChannelEntry, processAlive, StepEvent } from "../executor/step-record";
import { summariseRun } from "./run-summary";

const POLL_MS = 200;

function follow(file: string, pid: number): void {
  const events: StepEvent[] = [];
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
      else events.push(entry.step);
    }
  };
  const tick = () => {
    const running = processAlive(pid);
    read();
    if (running) return void setTimeout(tick, POLL_MS);
    if (events.length > 0) process.stdout.write(`\n${summariseRun(events).join("\n")}\n`);
    fs.rmSync(file, { force: true });
  };
  tick();
}

// A Ctrl-C reaches the whole process group: this goes on until the CLI has finished.
process.on("SIGINT", () => undefined);
follow(process.argv[2], Number(process.argv[3]));
