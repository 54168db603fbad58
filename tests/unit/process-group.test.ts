import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runInGroup } from "../../resources/executor/process-group";
import { Execution, runCommands } from "../../resources/executor/run-commands";
import { Holder, lockFiles, noteHolder, processStart } from "../../resources/executor/step-lock";

const alive = (pid: number) => processStart(pid) !== undefined;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function execution(dir: string, overrides: Partial<Execution> = {}): Execution {
  return { kayobeBin: "/nonexistent/kayobe", kayobeConfigPath: "/k", kayobeEnv: {}, cwd: dir, workingDir: dir, logDir: path.join(dir, "logs"), scratchDir: dir, timeoutSeconds: 60, release: "2024.1", ...overrides };
}

function holder(dir: string, provider: number, pid: number): Holder {
  return { pid, token: "none", step: "control-host-upgrade", command: "kayobe control host upgrade", log: path.join(dir, "logs/control-host-upgrade.log"), startedAt: "2026-11-27T05:00:00.000Z", provider, providerStart: processStart(provider) ?? "gone" };
}

/** Holds the stack's lock from another process for `seconds`. */
function holdLock(dir: string, seconds: number) {
  fs.writeFileSync(path.join(dir, "kayobe.lock"), "");
  const child = spawn("flock", [path.join(dir, "kayobe.lock"), "sleep", String(seconds)], { stdio: "ignore" });
  return child;
}

describe("commands in a process group of their own", () => {
  it("ends, at the timeout, a child that left the group (setsid) holding the output", async function () {
    this.timeout(20000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "group-"));
    const pidFile = path.join(dir, "detached");
    const started = Date.now();
    const result = await runInGroup(["/bin/sh", "-c", `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 60' & sleep 60`], {
      env: process.env,
      cwd: dir,
      deadline: Date.now() + 1500,
      lock: path.join(dir, "kayobe.lock"),
      onOutput: () => undefined,
    });
    assert.strictEqual(result.failure, "the milestone's time (kayobe-upgrade:milestoneTimeout) ran out");
    assert.ok(Date.now() - started < 10000, `ended after ${Date.now() - started} ms`);
    const detached = Number(fs.readFileSync(pidFile, "utf8"));
    await sleep(300);
    assert.ok(!alive(detached), `the detached child ${detached} is gone`);
  });

  it("holds the stack's lock while the command runs, and lets it go when it ends", async function () {
    this.timeout(20000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "group-"));
    const lock = path.join(dir, "kayobe.lock");
    const free = () => spawnSync("flock", ["--nonblock", lock, "true"]).status === 0;
    let during: boolean | undefined;
    const run = runInGroup(["/bin/sleep", "2"], { env: process.env, cwd: dir, deadline: Date.now() + 60000, lock, onOutput: () => undefined });
    await sleep(1000);
    during = free();
    await run;
    // Let go at once, not at the watchdog's next look.
    await sleep(200);
    assert.deepStrictEqual([during, free()], [false, true]);
  });
});

describe("a command whose provider is killed", () => {
  it("is ended by its watchdog, which then removes its key file and lets the lock go", async function () {
    this.timeout(30000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "group-"));
    const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-upgrade-ssh-"));
    const lock = path.join(dir, "kayobe.lock");
    const pidFile = path.join(dir, "pid");
    // A provider of its own, in another process, that this test kills.
    const code = `require(${JSON.stringify(path.resolve(__dirname, "../../resources/executor/process-group.ts"))}).runInGroup(["/bin/sh", "-c", "echo $$ > ${pidFile}; exec sleep 60"], { env: process.env, cwd: ${JSON.stringify(dir)}, deadline: Date.now() + 60000, lock: ${JSON.stringify(lock)}, removeAfter: ${JSON.stringify(keyDir)}, onOutput: () => undefined })`;
    const provider = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", code], { cwd: path.resolve(__dirname, "../.."), stdio: "ignore" });
    while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, "utf8") === "") await sleep(100);
    const command = Number(fs.readFileSync(pidFile, "utf8"));
    provider.kill("SIGKILL");
    const killed = Date.now();
    while ((alive(command) || fs.existsSync(keyDir)) && Date.now() - killed < 15000) await sleep(100);
    const free = spawnSync("flock", ["--nonblock", lock, "true"]).status === 0;
    assert.deepStrictEqual({ commandAlive: alive(command), keyDir: fs.existsSync(keyDir), lockFree: free }, { commandAlive: false, keyDir: false, lockFree: true });
  });
});

describe("the stack's kayobe lock", () => {
  it("refuses a command while a live provider's command holds the lock, naming its step, process and log", async function () {
    this.timeout(20000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lock-"));
    const held = holdLock(dir, 10);
    await sleep(300);
    // The holding provider is alive: this test's parent stands in for it.
    noteHolder(lockFiles(dir), holder(dir, process.ppid, held.pid!));
    try {
      await assert.rejects(
        runCommands("overcloud-service-upgrade", [["/bin/sh", "-c", "echo ran"]], execution(dir), { vaultPassword: "pw", env: {} }),
        new RegExp(
          `^Error: /bin/sh -c "echo ran": another run of this stack's kayobe is in progress: step control-host-upgrade ran \`kayobe control host upgrade\` \\(process group ${held.pid}, since 2026-11-27T05:00:00.000Z; log ${dir}/logs/control-host-upgrade.log\\), started by provider process ${process.ppid}; wait for it to end`,
        ),
      );
    } finally {
      held.kill();
    }
  });

  it("waits for the processes of a dead provider's command to be gone, then runs and records the interruption", async function () {
    this.timeout(20000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lock-"));
    // The holder sleeps 2 s once it has the lock: it cannot let go before then. (When the
    // test hears of its exit is later, and a loaded machine makes that a race.)
    const heldFrom = Date.now();
    const held = holdLock(dir, 2);
    await sleep(300);
    const dead = spawnSync("true").pid;
    noteHolder(lockFiles(dir), holder(dir, dead, held.pid!));
    const run = await runCommands("m", [["/bin/sh", "-c", "echo ran"]], execution(dir), { vaultPassword: "pw", env: {} });
    assert.ok(Date.parse(run.commands[0].startedAt) >= heldFrom + 2000, "ran only once the lock was let go");
    assert.deepStrictEqual(run.interrupted, [
      `interrupted: step control-host-upgrade ran \`kayobe control host upgrade\` (process group ${held.pid}, since 2026-11-27T05:00:00.000Z; log ${dir}/logs/control-host-upgrade.log); its processes were gone before this run went on`,
    ]);
    assert.ok(!fs.existsSync(lockFiles(dir).note), "the note goes once the command ended");
  });
});
