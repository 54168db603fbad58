import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Execution, logFileName, runCommands } from "../../resources/executor/run-commands";
import { renderArgv } from "../../resources/runbook/render";

const PASSWORD = "vault-pw-Zq81";

/** A stand-in kayobe of 2024.1 that records its argv and environment, prints the password, and fails on "boom". */
function fakeKayobe(dir: string, version = "16.8.0"): string {
  const bin = path.join(dir, "kayobe");
  fs.writeFileSync(
    bin,
    `#!/bin/sh
[ "$1" = --version ] && { echo "kayobe ${version}"; exit 0; }
printf '%s\\n' "$*" >> "${dir}/calls"
printf '%s|%s|%s|%s\\n' "$KAYOBE_CONFIG_PATH" "$KAYOBE_ENVIRONMENT" "$KAYOBE_VAULT_PASSWORD" "\${ANSIBLE_VAULT_PASSWORD_FILE:-unset}" >> "${dir}/env"
for i in $(seq 1 30); do echo "line $i"; done
echo "vault password is $KAYOBE_VAULT_PASSWORD" >&2
case "$*" in *boom*) exit 3;; *hang*) sleep 30;; esac
`,
  );
  fs.chmodSync(bin, 0o755);
  return bin;
}

function setup(overrides: Partial<Execution> = {}): { dir: string; execution: Execution } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "executor-"));
  const execution: Execution = {
    kayobeBin: fakeKayobe(dir),
    kayobeConfigPath: "/srv/kc/etc/kayobe",
    environment: "staging",
    kayobeEnv: { KOLLA_VENV_PATH: "/opt/kolla" },
    cwd: dir,
    workingDir: dir,
    logDir: path.join(dir, "logs"),
    scratchDir: dir,
    timeoutSeconds: 60,
    release: "2024.1",
    ...overrides,
  };
  return { dir, execution };
}

describe("log file names", () => {
  const at = new Date("2026-01-02T03:04:05.678Z");

  it("are the milestone's name and the time of the run", () => {
    assert.strictEqual(logFileName("overcloud-service-upgrade", at), "overcloud-service-upgrade.2026-01-02T03-04-05-678Z.log");
  });

  it("stay within 255 bytes, and distinct, for a batch of many hypervisors", () => {
    const batch = (first: number) => `overcloud-host-package-update-${Array.from({ length: 25 }, (_, i) => `cmp-${String(first + i).padStart(4, "0")}`).join("+")}`;
    const names = [logFileName(batch(1), at), logFileName(batch(26), at)];
    assert.ok(names.every((name) => Buffer.byteLength(name) <= 255), names.join("\n"));
    assert.notStrictEqual(names[0], names[1]);
  });
});

describe("executor", () => {
  it("runs each command as argv, in order, with the environment kayobe expects", async () => {
    const { dir, execution } = setup();
    process.env.ANSIBLE_VAULT_PASSWORD_FILE = "/should/not/pass";
    try {
      const run = await runCommands("m", [["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/reboot.yml", "-l", "seed"], ["kayobe", "seed", "host", "package", "update", "--packages", "*"]], execution, { vaultPassword: PASSWORD, env: {} });
      assert.deepStrictEqual(fs.readFileSync(path.join(dir, "calls"), "utf8").split("\n"), ["playbook run /srv/kc/etc/kayobe/ansible/reboot.yml -l seed", "seed host package update --packages *", ""]);
      assert.deepStrictEqual(fs.readFileSync(path.join(dir, "env"), "utf8").split("\n")[0], `/srv/kc/etc/kayobe|staging|${PASSWORD}|unset`);
      assert.deepStrictEqual(
        run.commands.map((c) => [c.command, c.argv[0], c.exitCode]),
        [
          ["kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l seed", execution.kayobeBin, 0],
          ['kayobe seed host package update --packages "*"', execution.kayobeBin, 0],
        ],
      );
      assert.ok(run.commands.every((c) => Date.parse(c.startedAt) <= Date.parse(c.endedAt)));
    } finally {
      delete process.env.ANSIBLE_VAULT_PASSWORD_FILE;
    }
  });

  it("runs nothing of a step whose kayobe is of another release than the step's, saying which and what to do", async () => {
    const { dir, execution } = setup();
    fs.rmSync(execution.kayobeBin);
    fakeKayobe(dir, "14.5.0");
    await assert.rejects(runCommands("control-host-upgrade", [["kayobe", "control", "host", "upgrade"]], execution, { vaultPassword: PASSWORD, env: {} }), {
      message: `control-host-upgrade: ${execution.kayobeBin} is kayobe 14.5.0, of 2023.1, and this step runs at 2024.1: the runbook reinstalls kayobe from 2024.1's requirements.txt before the control host upgrade (kayobe-environment-reinstall, planned when kayobe-upgrade:kayobeVenv is known); reinstall it, or point kayobe-upgrade:kayobeBin at a kayobe of 2024.1`,
    });
    assert.ok(!fs.existsSync(path.join(dir, "calls")), "no kayobe command ran");
    // A step without kayobe (the reinstall itself) does not ask.
    const pip = path.join(dir, "pip");
    fs.writeFileSync(pip, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    await runCommands("kayobe-environment-reinstall", [[pip, "install", "--force-reinstall", "-r", "r.txt"]], execution, { vaultPassword: PASSWORD, env: {} }, { report: () => undefined });
    // The site's scripts drive kayobe: they are asked about too.
    await assert.rejects(runCommands("m", [["$KAYOBE_CONFIG_PATH/../../tools/x.sh"]], { ...execution, release: "2024.1" }, { vaultPassword: PASSWORD, env: {} }), /is kayobe 14\.5\.0, of 2023\.1, and this step runs at 2024\.1/);
    await runCommands("m", [["kayobe", "control", "host", "upgrade"]], { ...execution, release: "2023.1" }, { vaultPassword: PASSWORD, env: {} }, { report: () => undefined });
    assert.deepStrictEqual(fs.readFileSync(path.join(dir, "calls"), "utf8"), "control host upgrade\n");
    // A Prerequisite after the reinstall: the 2024.1 kayobe is refused for it too.
    fakeKayobe(dir, "16.8.0");
    await assert.rejects(runCommands("rabbitmq-slurp-upgrade", [["kayobe", "kolla", "ansible", "run", "rabbitmq-upgrade 3.12"]], { ...execution, release: "2023.1" }, { vaultPassword: PASSWORD, env: {} }), {
      message: `rabbitmq-slurp-upgrade: ${execution.kayobeBin} is kayobe 16.8.0, of 2024.1, and this step runs at 2023.1: the Prerequisites run before the reinstall, with the kayobe of 2023.1; point kayobe-upgrade:kayobeBin at one (a virtualenv with 2023.1's requirements.txt), or record the step in kayobe-upgrade:doneByHand`,
    });
  });

  it("runs commands in the kayobe-config checkout with its kayobe-env's exports, never the shell's, and programs relative to the project from there", async () => {
    const { dir, execution } = setup();
    const checkout = fs.mkdtempSync(path.join(os.tmpdir(), "checkout-"));
    fs.mkdirSync(path.join(dir, "tools"));
    fs.writeFileSync(path.join(dir, "tools", "where.sh"), `#!/bin/sh\necho "$PWD|$KOLLA_CONFIG_PATH|\${KOLLA_SOURCE_PATH:-unset}" > "${dir}/where"\n`, { mode: 0o755 });
    process.env.KOLLA_SOURCE_PATH = "/another/site/src/kolla-ansible";
    try {
      await runCommands("m", [["tools/where.sh"]], { ...execution, workingDir: checkout, kayobeEnv: { KOLLA_CONFIG_PATH: `${checkout}/etc/kolla` } }, { vaultPassword: PASSWORD, env: {} });
    } finally {
      delete process.env.KOLLA_SOURCE_PATH;
    }
    assert.strictEqual(fs.readFileSync(path.join(dir, "where"), "utf8"), `${fs.realpathSync(checkout)}|${checkout}/etc/kolla|unset\n`);
  });

  it("sources the service account's openrc from the kolla config path before the command, as the runbook's `. openrc`", async () => {
    const { dir, execution } = setup();
    const kolla = path.join(dir, "kolla");
    fs.mkdirSync(kolla);
    fs.writeFileSync(path.join(kolla, "octavia-openrc.sh"), "export OS_USERNAME=octavia\necho sourced\n");
    fs.writeFileSync(path.join(dir, "who.sh"), `#!/bin/sh\necho "$OS_USERNAME $*" > "${dir}/who"\n`, { mode: 0o755 });
    const command = { kind: "with-openrc" as const, openrc: "octavia-openrc.sh", argv: [path.join(dir, "who.sh"), "register"] };
    const run = await runCommands("m", [command], { ...execution, kayobeEnv: { KOLLA_CONFIG_PATH: kolla } }, { vaultPassword: PASSWORD, env: {} });
    assert.strictEqual(fs.readFileSync(path.join(dir, "who"), "utf8"), "octavia register\n");
    assert.strictEqual(run.commands[0].command, `. $KOLLA_CONFIG_PATH/octavia-openrc.sh && ${dir}/who.sh register`);
    fs.rmSync(path.join(kolla, "octavia-openrc.sh"));
    await assert.rejects(runCommands("m", [command], { ...execution, kayobeEnv: { KOLLA_CONFIG_PATH: kolla } }, { vaultPassword: PASSWORD, env: {} }), /octavia-openrc\.sh: No such file or directory/);
  });

  it("stops at the first failure, naming the command, its exit code and the tail of its output", async () => {
    const { dir, execution } = setup();
    await assert.rejects(runCommands("m", [["kayobe", "boom"], ["kayobe", "never"]], execution, { vaultPassword: PASSWORD, env: {} }), (err: Error) => {
      const [first] = err.message.split("\n");
      assert.match(first, /^kayobe boom: exited with code 3\. Full output: .*\/logs\/m\.[0-9TZ-]+\.log$/);
      assert.match(err.message, /line 30\nvault password is \*{8}$/);
      assert.doesNotMatch(err.message, /line 10\n/, "only the tail");
      return true;
    });
    assert.deepStrictEqual(fs.readFileSync(path.join(dir, "calls"), "utf8"), "boom\n");
  });

  it("keeps the vault password out of the log and the error", async () => {
    const { execution } = setup();
    const message = await runCommands("m", [["kayobe", "ok"], ["kayobe", "boom"]], execution, { vaultPassword: PASSWORD, env: {} }).then(
      () => "",
      (err: Error) => err.message,
    );
    const logs = fs.readdirSync(execution.logDir).map((f) => fs.readFileSync(path.join(execution.logDir, f), "utf8")).join("");
    assert.match(logs, /vault password is \*{8}/);
    assert.ok(!logs.includes(PASSWORD) && !message.includes(PASSWORD));
  });

  it("reports the step, its log, each command and the tail of its output, scrubbed", async () => {
    const { execution } = setup();
    const shown: string[] = [];
    const run = await runCommands("m", [["kayobe", "ok"]], execution, { vaultPassword: PASSWORD, env: {} }, { report: (line) => shown.push(line) });
    assert.deepStrictEqual(shown.slice(0, 4), ["[m] m", `[m] log ${run.log}`, "[m] $ kayobe ok", "[m]   line 1"]);
    // 30 lines and the password line (stderr, so anywhere among them): the first as it came, the latest 10 when the command ended.
    assert.strictEqual(shown[4], "[m]   (20 lines before these are in the log)");
    assert.strictEqual(shown.length, 15);
    assert.ok(shown.includes("[m]   line 30") && !shown.includes("[m]   line 20"), shown.join("\n"));
    assert.ok(!shown.join("\n").includes(PASSWORD));
  });

  it("ends a milestone that outlives its time, with the whole process tree", async function () {
    this.timeout(15000);
    const { dir, execution } = setup({ timeoutSeconds: 2 });
    const started = Date.now();
    // The first command uses up part of the time; the second is stopped when the milestone's time runs out.
    await assert.rejects(runCommands("m", [["kayobe", "ok"], ["kayobe", "hang"]], execution, { vaultPassword: PASSWORD, env: {} }), /^Error: kayobe hang: the milestone's time \(kayobe-upgrade:milestoneTimeout\) ran out\./);
    assert.ok(Date.now() - started < 10000, "stopped within seconds, not after the 30 s sleep");
    assert.strictEqual(fs.readFileSync(path.join(dir, "calls"), "utf8"), "ok\nhang\n");
  });

  it("ends the running command when the provider is interrupted", async () => {
    const { execution } = setup();
    const started = Date.now();
    const interrupt = setTimeout(() => process.kill(process.pid, "SIGTERM"), 1000);
    try {
      await assert.rejects(runCommands("m", [["kayobe", "hang"]], execution, { vaultPassword: PASSWORD, env: {} }), /^Error: kayobe hang: interrupted by SIGTERM; the milestone stays pending and runs again next time\./);
    } finally {
      clearTimeout(interrupt);
    }
    assert.ok(Date.now() - started < 10000);
    assert.strictEqual(process.listenerCount("SIGTERM"), 0, "handlers removed once the command ended");
  });

  it("gives kayobe the secret environment and scrubs its values like the vault password", async () => {
    const { execution } = setup();
    const run = await runCommands("m", [["/usr/bin/env"]], execution, { vaultPassword: PASSWORD, env: { OS_PASSWORD: "cloud-secret-77" } });
    const log = fs.readFileSync(run.log, "utf8");
    assert.match(log, /^OS_PASSWORD=\*{8}$/m);
    assert.match(log, /^KAYOBE_VAULT_PASSWORD=\*{8}$/m);
    assert.ok(!log.includes("cloud-secret-77") && !log.includes(PASSWORD));
  });

  it("masks a secret of several lines on the terminal as in the log", async () => {
    const { execution } = setup();
    const shown: string[] = [];
    const key = "-----BEGIN KEY-----\nsecret-key-body\n-----END KEY-----";
    const run = await runCommands("m", [["/bin/sh", "-c", 'printf "SEED_KEY=%s\\n" "$SEED_KEY"']], execution, { vaultPassword: PASSWORD, env: { SEED_KEY: key } }, { report: (line) => shown.push(line) });
    assert.ok(shown.includes("[m]   SEED_KEY=********"), shown.join("\n"));
    assert.ok(!shown.join("\n").includes("secret-key-body") && !fs.readFileSync(run.log, "utf8").includes("secret-key-body"));
  });

  it("keeps the log, a diff and the scratch folder (the saved kolla config) to the operator", async () => {
    const { dir, execution } = setup();
    const scratchDir = path.join(dir, "scratch");
    fs.mkdirSync(path.join(scratchDir, "old"), { recursive: true, mode: 0o755 });
    fs.mkdirSync(path.join(scratchDir, "new"));
    fs.writeFileSync(path.join(scratchDir, "new", "passwords.yml"), "x\n");
    const output = path.join(scratchDir, "kolla-diff.txt");
    const run = await runCommands("m", [{ kind: "diff", old: path.join(scratchDir, "old"), new: path.join(scratchDir, "new"), output }], { ...execution, scratchDir }, { vaultPassword: PASSWORD, env: {} });
    const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);
    assert.deepStrictEqual([mode(run.log), mode(output), mode(scratchDir)], ["600", "600", "700"]);
  });

  it("fails once, naming the log, when the log's disk is full; the command ran to its end", async function () {
    this.timeout(20000);
    const { dir, execution } = setup();
    const logDir = path.join(dir, "small-disk");
    fs.mkdirSync(logDir);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", logDir]);
    try {
      const error = await runCommands("m", [["/bin/sh", "-c", `head -c 200000 /dev/zero | tr '\\0' x; echo; echo done > ${dir}/ended`]], { ...execution, logDir }, { vaultPassword: PASSWORD, env: {} }, { report: () => undefined }).catch((err: Error) => err);
      assert.match(String(error), new RegExp(`^Error: cannot write the log ${logDir}/m\\.[^ ]+\\.log: ENOSPC: no space left on device, write; the step is not recorded as done and runs again next time$`));
      assert.ok(fs.existsSync(path.join(dir, "ended")));
    } finally {
      execFileSync("umount", [logDir]);
    }
  });

  it("says so when kayobe cannot be started", async () => {
    const { execution } = setup({ kayobeBin: "/nonexistent/kayobe" });
    await assert.rejects(runCommands("m", [["kayobe", "control", "host", "upgrade"]], execution, { vaultPassword: PASSWORD, env: {} }), /^Error: kayobe control host upgrade: could not start \/nonexistent\/kayobe: no such executable\./);
  });

  it("renders argv as the runbook writes it", () => {
    assert.strictEqual(renderArgv(["kayobe", "kolla", "ansible", "run", "rabbitmq-upgrade 3.12"]), 'kayobe kolla ansible run "rabbitmq-upgrade 3.12"');
    assert.strictEqual(renderArgv(["kayobe", "overcloud", "host", "package", "update", "--packages", "*", "--limit", "cmp-01"]), 'kayobe overcloud host package update --packages "*" --limit cmp-01');
  });
});
