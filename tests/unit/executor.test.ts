import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Execution, renderArgv, runCommands } from "../../resources/executor/run-commands";

const PASSWORD = "vault-pw-Zq81";

/** A stand-in kayobe that records its argv and environment, prints the password, and fails on "boom". */
function fakeKayobe(dir: string): string {
  const bin = path.join(dir, "kayobe");
  fs.writeFileSync(
    bin,
    `#!/bin/sh
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
    logDir: path.join(dir, "logs"),
    timeoutSeconds: 60,
    ...overrides,
  };
  return { dir, execution };
}

describe("executor", () => {
  it("runs each command as argv, in order, with the environment kayobe expects", async () => {
    const { dir, execution } = setup();
    process.env.ANSIBLE_VAULT_PASSWORD_FILE = "/should/not/pass";
    try {
      const run = await runCommands("m", [["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/reboot.yml", "-l", "seed"], ["kayobe", "seed", "host", "package", "update", "--packages", "*"]], execution, PASSWORD);
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

  it("stops at the first failure, naming the command, its exit code and the tail of its output", async () => {
    const { dir, execution } = setup();
    await assert.rejects(runCommands("m", [["kayobe", "boom"], ["kayobe", "never"]], execution, PASSWORD), (err: Error) => {
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
    const message = await runCommands("m", [["kayobe", "ok"], ["kayobe", "boom"]], execution, PASSWORD).then(
      () => "",
      (err: Error) => err.message,
    );
    const logs = fs.readdirSync(execution.logDir).map((f) => fs.readFileSync(path.join(execution.logDir, f), "utf8")).join("");
    assert.match(logs, /vault password is \*{8}/);
    assert.ok(!logs.includes(PASSWORD) && !message.includes(PASSWORD));
  });

  it("reports each command and its output as they come, scrubbed and throttled", async () => {
    const { execution } = setup();
    const shown: string[] = [];
    await runCommands("m", [["kayobe", "ok"]], execution, PASSWORD, { report: (line) => shown.push(line) });
    assert.deepStrictEqual(shown.slice(0, 3), ["[m] $ kayobe ok", "[m] line 1", "[m] line 2"]);
    // 30 lines and the password line: 20 shown, the rest counted once the command ends.
    assert.strictEqual(shown.length, 22);
    assert.strictEqual(shown[21], "[m] (11 more lines in the log)");
    assert.ok(!shown.join("\n").includes(PASSWORD));
  });

  it("ends a command that outlives its timeout", async () => {
    const { execution } = setup({ timeoutSeconds: 1 });
    const started = Date.now();
    await assert.rejects(runCommands("m", [["kayobe", "hang"]], execution, PASSWORD), /^Error: kayobe hang: timed out after 1 s/);
    assert.ok(Date.now() - started < 10000);
  });

  it("says so when kayobe cannot be started", async () => {
    const { execution } = setup({ kayobeBin: "/nonexistent/kayobe" });
    await assert.rejects(runCommands("m", [["kayobe", "control", "host", "upgrade"]], execution, PASSWORD), /^Error: kayobe control host upgrade: could not start \/nonexistent\/kayobe: spawn \/nonexistent\/kayobe ENOENT/);
  });

  it("renders argv as the runbook writes it", () => {
    assert.strictEqual(renderArgv(["kayobe", "kolla", "ansible", "run", "rabbitmq-upgrade 3.12"]), 'kayobe kolla ansible run "rabbitmq-upgrade 3.12"');
    assert.strictEqual(renderArgv(["kayobe", "overcloud", "host", "package", "update", "--packages", "*", "--limit", "cmp-01"]), 'kayobe overcloud host package update --packages "*" --limit cmp-01');
  });
});
