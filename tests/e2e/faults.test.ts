// Never two kayobes at once, whatever dies: a run killed in the middle of a step, by any
// means, leaves no process behind, and the next `up` runs the step again (after the old
// one is gone), repeating no completed step. On the real engine, with the simulator.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expectedCalls, planOf } from "./expected-calls";
import { JournalEntry, Running, Workspace } from "./workspace";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The processes working in the copy (their working directory in it), as `pid args`. */
function processesIn(root: string): string[] {
  return fs.readdirSync("/proc").flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return [];
    try {
      if (!fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(root)) return [];
      if (fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].startsWith("Z")) return [];
      return [`${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim()}`];
    } catch {
      return [];
    }
  });
}

/** What is left in the copy `within` ms after a run ended: none, once its processes had time to notice. */
async function leftBehind(ws: Workspace, within = 15000): Promise<string[]> {
  const deadline = Date.now() + within;
  while (processesIn(ws.root).length > 0 && Date.now() < deadline) await sleep(250);
  return processesIn(ws.root);
}

/** Pairs of kayobe calls that ran at the same time, and calls that never ended. */
function overlaps(journal: JournalEntry[]): string[] {
  const time = (entry: JournalEntry & { time?: string }) => Date.parse(entry.time!);
  const calls = journal
    .filter((e) => e.event === "start")
    .map((start) => {
      const pid = (start as { pid?: number }).pid;
      const end = journal.find((e) => e.event === "end" && (e as { pid?: number }).pid === pid && time(e) >= time(start));
      return { what: start.argv.join(" "), from: time(start), to: end === undefined ? Infinity : time(end) };
    });
  const found = calls.filter((c) => c.to === Infinity).map((c) => `${c.what}: never ended`);
  for (let i = 1; i < calls.length; i++) if (calls[i].from < calls[i - 1].to) found.push(`${calls[i].what} started before ${calls[i - 1].what} ended`);
  return found;
}

/**
 * Resolves when bin/pulumi has exited (not when its output closes: a process left behind
 * may hold that open for ever).
 */
function exited(run: Running): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => run.child.once("exit", () => resolve()));
}

/** The Pulumi CLI that bin/pulumi started, or the dynamic provider it runs. */
function pidOf(run: Running, what: "cli" | "provider"): number {
  const children = (pid: number): number[] => {
    try {
      return execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const cli = children(run.child.pid!)[0];
  if (what === "cli") return cli;
  const all = (pid: number): number[] => children(pid).flatMap((child) => [child, ...all(child)]);
  return all(cli).find((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("cmd/dynamic-provider"))!;
}

/** A copy whose runs have a temporary folder of their own, to find what they leave there. */
function workspace(): { ws: Workspace; tmp: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-upgrade-e2e-tmp-"));
  return { ws: new Workspace({ env: { TMPDIR: tmp } }), tmp };
}

describe("faults in the middle of a step, each in a copy of its own", function () {
  const stack = "staging";
  // The plan of the project itself: the copies hold the same sample kayobe-config.
  const every = expectedCalls(planOf(path.resolve(__dirname, "..", "..")));
  const indexOf = (call: string) => every.indexOf(call);
  const pattern = (call: string) => `^${call.replace(/[.$[\]]/g, "\\$&").replace("\\$KAYOBE_CONFIG_PATH", ".*")}$`;
  const slow = (call: string, seconds = 30) => ({ KAYOBE_SIM_SLEEP: String(seconds), KAYOBE_SIM_SLEEP_MATCH: pattern(call) });
  const failAt = (call: string) => ({ KAYOBE_SIM_FAIL: pattern(call) });
  const CHU = "control host upgrade";
  const REPO = "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-repo-sync.yml";
  const CONTAINERS = "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-container-sync.yml";
  const BUILD = "overcloud container image build --push ironic- nova-api";
  const DF = "overcloud host command run --command df -h --show-output --limit controllers[0],compute[0],storage[0]";

  /** A fresh copy with the stack selected, and what to read of it once the case is over. */
  function copy() {
    const { ws, tmp } = workspace();
    ws.stack(stack);
    const state = () => JSON.parse(ws.exportState(stack)).deployment;
    return {
      ws,
      record: (step: string) => state().resources.find((r: { urn: string }) => r.urn.endsWith(`::${step}`))?.outputs,
      /** What must hold after the next `up`: nothing left running, pending or in the temporary folder; no two kayobes at once. */
      async checkAfter(): Promise<void> {
        assert.deepStrictEqual(await leftBehind(ws), [], "no process of the runs is left");
        assert.deepStrictEqual(overlaps(ws.journal(stack)), [], "no two kayobe calls at once");
        assert.strictEqual((state().pending_operations ?? []).length, 0, "no operation left pending");
        assert.deepStrictEqual(fs.readdirSync(tmp), [], "nothing left in the temporary folder");
      },
    };
  }

  /**
   * In a fresh copy: starts `up` with `call` slow, waits for it to run, does `fault` to
   * the run, checks nothing is left, then runs `up` again until `stopAt` (a failure on demand).
   */
  async function interrupt(call: string, fault: (run: Running) => void, stopAt: string) {
    const { ws, record, checkAfter } = copy();
    const first = ws.start(["up", "--yes", "--stack", stack], { env: slow(call) });
    await ws.callStarted(stack, new RegExp(slow(call).KAYOBE_SIM_SLEEP_MATCH), 0);
    await sleep(500);
    fault(first);
    await exited(first);
    assert.deepStrictEqual(await leftBehind(ws), [], "no process of the run is left");
    await first.exited;
    const next = ws.pulumi(["up", "--yes", "--stack", stack], { env: failAt(stopAt), expectFailure: true });
    await checkAfter();
    // The interrupted call ran again; every other call, once.
    assert.deepStrictEqual(ws.calls(stack), [...every.slice(0, indexOf(call) + 1), ...every.slice(indexOf(call), indexOf(stopAt) + 1)]);
    return { first, next: next.stdout + next.stderr, record };
  }

  it("kill -9 of the CLI: kayobe ends with it; the next up takes over the lock and runs the step again, once kayobe is gone", async () => {
    const { next, record } = await interrupt(CHU, (run) => process.kill(pidOf(run, "cli"), "SIGKILL"), REPO);
    assert.match(next, /stack staging: the run that locked it \(pid \d+, [^)]+\) is gone; taking its lock over/);
    assert.match(next, /an interrupted run left control-host-upgrade \(creating\) pending: run again now/);
    assert.match(record("control-host-upgrade").interrupted.join("\n"), /^interrupted: step control-host-upgrade ran `kayobe control host upgrade` \(process group \d+, since [^;]+; log \S+control-host-upgrade\.\S+\.log\); its processes were gone before this run went on$/);
  });

  it("kill -9 of the provider: its watchdog ends kayobe; the next up runs the step again", async () => {
    const { first, record } = await interrupt(REPO, (run) => process.kill(pidOf(run, "provider"), "SIGKILL"), CONTAINERS);
    assert.match(first.output(), /error reading from server: EOF|connection refused|transport is closing/);
    assert.match(record("pulp-repo-sync").interrupted.join("\n"), /^interrupted: step pulp-repo-sync ran `kayobe playbook run \S+pulp-repo-sync.yml`/);
  });

  it("SIGHUP to bin/pulumi's process group (a dropped SSH session): handled as SIGTERM, kayobe ended, the next up goes on", async () => {
    const { first } = await interrupt(CONTAINERS, (run) => process.kill(-run.child.pid!, "SIGHUP"), BUILD);
    assert.match(first.output(), /pulp-container-sync.*interrupted by SIGINT; the milestone stays pending and runs again next time/);
  });

  it("cancel while an up runs, then another up: refused at the step, naming it, its pid and log; nothing runs twice", async () => {
    const { ws, checkAfter } = copy();
    const first = ws.start(["up", "--yes", "--stack", stack], { env: { ...slow(BUILD, 25), ...failAt(DF) } });
    await ws.callStarted(stack, /^overcloud container image build/, 0);
    ws.pulumi(["cancel", "--yes", "--stack", stack]);
    const second = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    assert.match(
      second.stdout.split("Diagnostics:").pop()!,
      /error: kayobe overcloud container image build --push ironic- nova-api: another run of this stack's kayobe is in progress: step overcloud-container-image-build ran `kayobe overcloud container image build --push ironic- nova-api` \(process group \d+, since [^;]+; log \S+overcloud-container-image-build\.\S+\.log\), started by provider process \d+/,
    );
    await exited(first);
    assert.deepStrictEqual(await leftBehind(ws), []);
    assert.notStrictEqual(await first.exited, 0);
    ws.pulumi(["up", "--yes", "--stack", stack]);
    await checkAfter();
    assert.deepStrictEqual(ws.calls(stack), [...every.slice(0, indexOf(DF) + 1), ...every.slice(indexOf(DF))]);
  });
});

describe("faults outside a step", function () {
  const { ws, tmp } = workspace();
  const stack = "staging";
  before(() => ws.stack(stack));

  it("kill -9 of the CLI while the program reads the kayobe-config: no `kayobe configuration dump` left, no query folder", async () => {
    // The copy's first run: nothing is cached yet, kayobe is asked.
    const run = ws.start(["preview", "--stack", stack], { env: { KAYOBE_SIM_SLEEP: "30", KAYOBE_SIM_SLEEP_MATCH: "^configuration dump" } });
    const deadline = Date.now() + 120000;
    // Whichever kayobe reads it (the simulator's dump sleeps; a real kayobe's takes seconds).
    while (!processesIn(ws.root).some((p) => p.includes("kayobe configuration dump")) && Date.now() < deadline) await sleep(100);
    process.kill(pidOf(run, "cli"), "SIGKILL");
    await exited(run);
    assert.deepStrictEqual(await leftBehind(ws), []);
    assert.deepStrictEqual(fs.readdirSync(tmp), []);
  });

  it("`bin/pulumi preview | head -1` leaves no helper process", async () => {
    execFileSync("bash", ["-c", `bin/pulumi preview --stack ${stack} --non-interactive | head -1`], { cwd: ws.root, env: ws.environment(), stdio: ["ignore", "pipe", "ignore"], timeout: 120000 });
    assert.deepStrictEqual(await leftBehind(ws), []);
  });
});
