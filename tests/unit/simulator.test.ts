import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { checkModeChanges } from "../../resources/executor/review";

const SIMULATOR = path.resolve(__dirname, "../../simulator/kayobe");
const REAL_KAYOBE = path.resolve(__dirname, "../../.kayobe-upgrade/kayobe-16.8.0/bin/kayobe");
const PASSWORD = "vault-pw-7Hq2x";

interface Fixture {
  dir: string;
  config: string;
  journal: string;
}

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface JournalLine {
  event: "start" | "end" | "refused";
  time: string;
  pid: number;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  exit?: number;
}

/** A tiny kayobe-config: shared groups, the staging environment's hosts, playbooks, openstack.yml. */
function makeFixture(): Fixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-sim-"));
  const config = path.join(dir, "etc", "kayobe");
  const files: Record<string, string> = {
    "inventory/groups": [
      "[seed-hypervisor]", "[seed]", "[controllers]", "[network:children]", "controllers",
      "[compute]", "[storage]", "[infra-vms]",
      "[overcloud:children]", "controllers", "network", "compute", "storage", "",
    ].join("\n"),
    "environments/staging/inventory/hosts": [
      "[seed-hypervisor]", "shv0", "[seed]", "seed0", "[controllers]", "ctl[0:2]",
      "[compute]", "cmp0 ansible_host=10.0.0.5", "cmp1", "[storage]", "stg0", "",
    ].join("\n"),
    "openstack.yml": '---\nopenstack_release: "2024.1"\nopenstack_release_codename: caracal\n',
    "ansible/reboot.yml": "- name: Reboot\n  hosts: localhost\n",
    "ansible/pulp-repo-sync.yml": "- name: Sync\n  hosts: localhost\n",
    "ansible/custom.yml": "---\n- name: A custom play\n  hosts: storage\n  tasks: []\n",
  };
  writeFiles(config, files);
  return { dir, config, journal: path.join(dir, "journal.jsonl") };
}

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
}

/** Skips the calling test or suite, saying why, where scripts/ensure-kayobe.sh has not run:
 * the simulator asks the real kayobe (its inventory, configuration dump, kolla globals). */
function needsRealKayobe(ctx: Mocha.Context): void {
  if (!fs.existsSync(REAL_KAYOBE)) {
    console.log(`    (skipped: no real kayobe at ${REAL_KAYOBE}; run bash scripts/ensure-kayobe.sh)`);
    ctx.skip();
  }
}

/** The environment of a call: nothing inherited that kayobe or the simulator reads. */
function envFor(fx: Fixture, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(KAYOBE_|KOLLA_|ANSIBLE_VAULT)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    KAYOBE_CONFIG_PATH: fx.config,
    KAYOBE_ENVIRONMENT: "staging",
    KAYOBE_SIM_JOURNAL: fx.journal,
    ...extra,
  };
}

function kayobe(fx: Fixture, args: string[], extra: Record<string, string> = {}): Result {
  const r = spawnSync(SIMULATOR, args, { cwd: fx.dir, env: envFor(fx, extra), encoding: "utf8", timeout: 10000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function journal(fx: Fixture): JournalLine[] {
  if (!fs.existsSync(fx.journal)) return [];
  return fs
    .readFileSync(fx.journal, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as JournalLine);
}

/** Hosts named in the last PLAY RECAP, in order. */
function recapHosts(stdout: string): string[] {
  const recap = stdout.slice(stdout.lastIndexOf("PLAY RECAP"));
  return [...recap.matchAll(/^(\S+)\s+: ok=/gm)].map((m) => m[1]);
}

/** `<host> | STATUS | rc=N >>` blocks of host command run --show-output. */
function hostBlocks(stdout: string): Map<string, { header: string; lines: string[] }> {
  const blocks = new Map<string, { header: string; lines: string[] }>();
  let current: string[] | undefined;
  for (const line of stdout.split("\n")) {
    const m = /^(\S+) \| (CHANGED|FAILED) \| rc=\d+ >>$/.exec(line);
    if (m) {
      current = [];
      blocks.set(m[1], { header: line, lines: current });
    } else if (line.startsWith("PLAY RECAP")) {
      current = undefined;
    } else if (current) {
      current.push(line);
    }
  }
  return blocks;
}

function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(root, full), fs.readFileSync(full, "utf8"));
    }
  };
  walk(root);
  return files;
}

function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error("timed out"));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe("kayobe simulator", function () {
  this.timeout(15000);
  let fx: Fixture;

  beforeEach(() => {
    fx = makeFixture();
  });
  afterEach(() => {
    fs.rmSync(fx.dir, { recursive: true, force: true });
  });

  describe("command line", () => {
    it("answers --version with kayobe 16.8.0 (the 2024.1 series)", () => {
      const r = kayobe(fx, ["--version"]);
      assert.strictEqual(r.status, 0);
      assert.strictEqual(r.stdout, "kayobe 16.8.0\n");
    });

    it("lists kayobe's commands in --help and documents a command's options", () => {
      const app = kayobe(fx, ["--help"]);
      assert.strictEqual(app.status, 0);
      for (const name of ["control host upgrade", "seed hypervisor host package update", "overcloud service upgrade",
        "kolla ansible run", "overcloud host command run", "configuration dump", "baremetal compute update deployment image"]) {
        assert.match(app.stdout, new RegExp(`^  ${name}  `, "m"), name);
      }
      const cmd = kayobe(fx, ["overcloud", "service", "configuration", "save", "--help"]);
      assert.strictEqual(cmd.status, 0);
      assert.match(cmd.stdout, /^usage: kayobe overcloud service configuration save /);
      for (const option of ["--node-config-dir", "--output-dir", "--include", "--exclude", "--limit", "--vault-password-file"]) {
        assert.ok(cmd.stdout.includes(option), option);
      }
      assert.ok(!cmd.stdout.includes("--kolla-tags"));
    });

    it("refuses an unknown option with argparse's usage error and exit 2", () => {
      const r = kayobe(fx, ["overcloud", "host", "upgrade", "--bogus"]);
      assert.strictEqual(r.status, 2);
      assert.strictEqual(r.stdout, "");
      assert.match(r.stderr, /^usage: kayobe overcloud host upgrade \[-h\]/);
      assert.match(r.stderr, /\nkayobe overcloud host upgrade: error: unrecognized arguments: --bogus\n$/);
    });

    it("takes kolla options only on the commands that run kolla-ansible", function () {
      needsRealKayobe(this);
      for (const args of [
        ["control", "host", "upgrade", "-kt", "keystone"],
        ["overcloud", "host", "configure", "-kl", "ctl0"],
        ["overcloud", "service", "configuration", "save", "--kolla-tags", "nova"],
        ["baremetal", "compute", "update", "deployment", "image", "-kt", "x"],
      ]) {
        const r = kayobe(fx, args);
        assert.strictEqual(r.status, 2, args.join(" "));
        assert.match(r.stderr, new RegExp(`: error: unrecognized arguments: ${args.slice(-2).join(" ")}\\n$`));
      }
      for (const args of [
        ["overcloud", "service", "upgrade", "--tags", "config", "--kolla-tags", "keystone"],
        ["overcloud", "service", "configuration", "generate", "--node-config-dir", "/tmp/ignore", "-kt", "none"],
        ["kolla", "ansible", "run", "rabbitmq-upgrade 3.12", "-kl", "controllers"],
      ]) {
        assert.strictEqual(kayobe(fx, args).status, 0, args.join(" "));
      }
    });

    it("refuses an unknown command as cliff does, exit 2", () => {
      const r = kayobe(fx, ["overcloud", "frobnicate"]);
      assert.strictEqual(r.status, 2);
      assert.match(r.stdout, /^kayobe: 'overcloud frobnicate' is not a kayobe command\. See 'kayobe --help'\.\nDid you mean one of these\?\n/);
      assert.deepStrictEqual(journal(fx).map((l) => [l.event, l.exit]), [["refused", 2]]);
    });

    it("requires --command and --packages as argparse options (exit 2)", () => {
      const cmd = kayobe(fx, ["overcloud", "host", "command", "run", "--show-output"]);
      assert.strictEqual(cmd.status, 2);
      assert.match(cmd.stderr, /error: the following arguments are required: --command\n$/);
      const pkg = kayobe(fx, ["seed", "hypervisor", "host", "package", "update", "--security"]);
      assert.strictEqual(pkg.status, 2);
      assert.match(pkg.stderr, /error: the following arguments are required: --packages\n$/);
    });
  });

  describe("kayobe's own checks (exit 1)", () => {
    const cases: { name: string; args: string[]; env?: Record<string, string>; message: (fx: Fixture) => string }[] = [
      { name: "a missing config path", args: ["seed", "host", "upgrade", "--config-path", "/nonexistent/kc"],
        message: () => "Kayobe configuration path /nonexistent/kc is invalid: Path does not exist" },
      { name: "a missing environment", args: ["seed", "host", "upgrade"], env: { KAYOBE_ENVIRONMENT: "prod" },
        message: (f) => `Kayobe environment ${f.config}/environments/prod is invalid: Path does not exist` },
      { name: "two vault password sources", args: ["seed", "host", "upgrade"],
        env: { KAYOBE_VAULT_PASSWORD: PASSWORD, ANSIBLE_VAULT_PASSWORD_FILE: "/pw" },
        message: () => "Cannot specify $ANSIBLE_VAULT_PASSWORD_FILE when $KAYOBE_VAULT_PASSWORD is specified" },
      { name: "a missing playbook", args: ["playbook", "run", "ansible/nope.yml"],
        message: () => "Kayobe playbook ansible/nope.yml is invalid: Path does not exist" },
      { name: "a limit mixing commas and colons", args: ["overcloud", "host", "upgrade", "-l", "ctl0,ctl1:cmp0"],
        message: () => "Invalid format for host limit argument. Cannot mix commas and colons to separate hosts" },
      { name: "an inventory that is not a directory", args: ["seed", "host", "upgrade", "-i", "/nonexistent/inventory"],
        message: () => "Kayobe inventory /nonexistent/inventory is invalid: Path does not exist" },
      { name: "a call when the real kayobe is missing", args: ["seed", "host", "upgrade"], env: { KAYOBE_SIM_REAL_KAYOBE: "/nonexistent/bin/kayobe" },
        message: () => "kayobe simulator: the real kayobe /nonexistent/bin/kayobe is missing (set KAYOBE_SIM_REAL_KAYOBE, or run `bash scripts/ensure-kayobe.sh`)" },
      { name: "a destroy without confirmation", args: ["overcloud", "service", "destroy"],
        message: () => "This will permanently destroy all services and data. Specify --yes-i-really-really-mean-it to confirm that you understand this." },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}`, () => {
        const r = kayobe(fx, c.args, c.env);
        assert.strictEqual(r.status, 1);
        assert.strictEqual(r.stderr, c.message(fx) + "\n");
        assert.strictEqual(r.stdout, "");
        assert.deepStrictEqual(journal(fx).map((l) => [l.event, l.exit, l.argv]), [["refused", 1, c.args]]);
      });
    }
  });

  describe("journal", () => {
    before(function () {
      needsRealKayobe(this);
    });

    it("records start and end with argv, cwd and the kayobe environment, the vault password only as <set>", () => {
      const args = ["overcloud", "host", "upgrade", "-l", "ctl0"];
      const r = kayobe(fx, args, { KAYOBE_VAULT_PASSWORD: PASSWORD, KOLLA_CONFIG_PATH: "/srv/kolla" });
      assert.strictEqual(r.status, 0);
      const [start, end, ...rest] = journal(fx);
      assert.deepStrictEqual(rest, []);
      assert.deepStrictEqual(Object.keys(start), ["event", "time", "pid", "argv", "cwd", "env"]);
      assert.strictEqual(start.event, "start");
      assert.match(start.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.deepStrictEqual(start.argv, args);
      assert.strictEqual(start.cwd, fx.dir);
      assert.deepStrictEqual(start.env, {
        KAYOBE_CONFIG_PATH: fx.config,
        KAYOBE_ENVIRONMENT: "staging",
        KOLLA_CONFIG_PATH: "/srv/kolla",
        KAYOBE_VAULT_PASSWORD: "<set>",
      });
      assert.deepStrictEqual(Object.keys(end), ["event", "time", "pid", "argv", "exit"]);
      assert.deepStrictEqual([end.event, end.pid, end.argv, end.exit], ["end", start.pid, args, 0]);
      for (const text of [fs.readFileSync(fx.journal, "utf8"), r.stdout, r.stderr]) {
        assert.ok(!text.includes(PASSWORD));
      }
    });

    it("keeps whole lines when calls run concurrently", async () => {
      const runs = Array.from({ length: 8 }, (_, i) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(SIMULATOR, ["overcloud", "host", "upgrade", "-e", `n=${i}`], { cwd: fx.dir, env: envFor(fx), stdio: "ignore" });
          child.on("exit", (code) => resolve(code));
        }));
      assert.deepStrictEqual(await Promise.all(runs), Array(8).fill(0));
      const lines = journal(fx);
      assert.strictEqual(lines.length, 16);
      for (let i = 0; i < 8; i++) {
        const mine = lines.filter((l) => l.argv[l.argv.length - 1] === `n=${i}`);
        assert.deepStrictEqual(mine.map((l) => l.event), ["start", "end"]);
      }
    });
  });

  describe("hosts and limits", () => {
    before(function () {
      needsRealKayobe(this);
    });

    it("runs on the command's group intersected with the limit, group[N] indexing included", () => {
      const r = kayobe(fx, ["overcloud", "host", "package", "update", "--packages", "*", "-l", "controllers[0],compute[1],seed0"]);
      assert.strictEqual(r.status, 0);
      assert.match(r.stdout, /^PLAY \[Update host packages\] \*+$/m);
      assert.deepStrictEqual(recapHosts(r.stdout), ["cmp1", "ctl0"]);
      const all = kayobe(fx, ["overcloud", "host", "upgrade", "-l", "overcloud:!ctl1:!compute"]);
      assert.deepStrictEqual(recapHosts(all.stdout), ["ctl0", "ctl2", "stg0"]);
    });

    it("fails as ansible-playbook does when the limit leaves no host", () => {
      const r = kayobe(fx, ["overcloud", "host", "upgrade", "-l", "nosuchhost"]);
      assert.strictEqual(r.status, 1);
      assert.ok(r.stderr.startsWith(
        "[WARNING]: Could not match supplied host pattern, ignoring: nosuchhost\n" +
        "ERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target.\n"));
      assert.match(r.stderr, /Kayobe playbook\(s\) \S+\/overcloud-host-upgrade\.yml exited 1\n$/);
      assert.deepStrictEqual(journal(fx).map((l) => l.event), ["start", "end"]);
    });

    it("runs playbook run on the playbook's hosts: StackHPC's known ones, else the file's", () => {
      const pulp = kayobe(fx, ["playbook", "run", path.join(fx.config, "ansible/pulp-repo-sync.yml")]);
      assert.deepStrictEqual([pulp.status, recapHosts(pulp.stdout)], [0, ["localhost"]]);
      const reboot = kayobe(fx, ["playbook", "run", path.join(fx.config, "ansible/reboot.yml"), "-l", "cmp0"]);
      assert.deepStrictEqual([reboot.status, recapHosts(reboot.stdout)], [0, ["cmp0"]]);
      const custom = kayobe(fx, ["playbook", "run", "etc/kayobe/ansible/custom.yml"]);
      assert.match(custom.stdout, /^PLAY \[A custom play\] /m);
      assert.deepStrictEqual(recapHosts(custom.stdout), ["stg0"]);
    });

    it("plays a hook that imports a playbook (StackHPC's 99-cis.yml) on the imported play's hosts", () => {
      writeFiles(fx.config, { "hooks/overcloud-host-configure/post.d/99-custom.yml": "---\n- import_playbook: ../../../ansible/custom.yml\n" });
      try {
        const r = kayobe(fx, ["overcloud", "host", "configure"]);
        const hook = r.stdout.slice(r.stdout.lastIndexOf("PLAY [A custom play]"));
        assert.deepStrictEqual([r.status, recapHosts(hook)], [0, ["stg0"]]);
      } finally {
        fs.rmSync(path.join(fx.config, "hooks"), { recursive: true });
      }
    });

    it("dumps configuration as JSON for the selected hosts", () => {
      const r = kayobe(fx, ["configuration", "dump", "--var-name", "openstack_release", "-l", "compute"]);
      assert.strictEqual(r.status, 0);
      assert.deepStrictEqual(JSON.parse(r.stdout), { cmp0: "2024.1", cmp1: "2024.1" });
    });
  });

  describe("behaviour on demand", () => {
    before(function () {
      needsRealKayobe(this);
    });

    it("fails a call matching KAYOBE_SIM_FAIL like ansible, with KAYOBE_SIM_FAIL_CODE", () => {
      const env = { KAYOBE_SIM_FAIL: "host (upgrade|configure)", KAYOBE_SIM_FAIL_CODE: "7" };
      const r = kayobe(fx, ["overcloud", "host", "upgrade", "-l", "ctl1"], env);
      assert.strictEqual(r.status, 7);
      assert.match(r.stdout, /^fatal: \[ctl1\]: FAILED! => \{"changed": false, "msg": "[^"]+"\}$/m);
      assert.match(r.stdout, /^ctl1 +: ok=1 +changed=0 +unreachable=0 +failed=1 /m);
      assert.deepStrictEqual(journal(fx).map((l) => [l.event, l.exit]), [["start", undefined], ["end", 7]]);
      assert.strictEqual(kayobe(fx, ["overcloud", "host", "package", "update", "--packages", "*"], env).status, 0);
      assert.strictEqual(kayobe(fx, ["seed", "host", "configure"], { KAYOBE_SIM_FAIL: "seed" }).status, 2);
    });

    it("ends a sleeping call promptly on SIGTERM and SIGINT, journaling the end", async () => {
      for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
        fs.rmSync(fx.journal, { force: true });
        const child = spawn(SIMULATOR, ["seed", "host", "upgrade"], { cwd: fx.dir, env: envFor(fx, { KAYOBE_SIM_SLEEP: "30" }), stdio: "ignore" });
        const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
        await waitFor(() => journal(fx).length === 1, 5000);
        const sent = Date.now();
        child.kill(signal);
        assert.strictEqual(await exited, code);
        assert.ok(Date.now() - sent < 2000, `${signal} took ${Date.now() - sent} ms`);
        assert.deepStrictEqual(journal(fx).map((l) => [l.event, l.exit]), [["start", undefined], ["end", code]]);
      }
    });

    it("sleeps only the calls KAYOBE_SIM_SLEEP_MATCH selects", () => {
      const started = Date.now();
      const r = kayobe(fx, ["seed", "host", "upgrade"], { KAYOBE_SIM_SLEEP: "5", KAYOBE_SIM_SLEEP_MATCH: "^overcloud" });
      assert.strictEqual(r.status, 0);
      assert.ok(Date.now() - started < 3000);
      const slept = Date.now();
      assert.strictEqual(kayobe(fx, ["overcloud", "host", "upgrade"], { KAYOBE_SIM_SLEEP: "0.6", KAYOBE_SIM_SLEEP_MATCH: "^overcloud" }).status, 0);
      assert.ok(Date.now() - slept >= 600);
    });

    it("tells which hosts need a reboot, per host like ansible ad-hoc output", () => {
      const args = ["overcloud", "host", "command", "run", "--command", "needs-restarting -r || true", "--show-output", "-l", "compute,ctl0"];
      const r = kayobe(fx, args, { KAYOBE_SIM_REBOOT_REQUIRED: "cmp1,seed0" });
      assert.strictEqual(r.status, 0);
      const blocks = hostBlocks(r.stdout);
      assert.deepStrictEqual([...blocks.keys()], ["ctl0", "cmp0", "cmp1"]);
      assert.strictEqual(blocks.get("cmp1")?.header, "cmp1 | CHANGED | rc=0 >>");
      assert.ok(blocks.get("cmp1")?.lines.includes("Reboot is required to fully utilize these updates."));
      for (const host of ["ctl0", "cmp0"]) {
        assert.ok(blocks.get(host)?.lines.includes("Reboot should not be necessary."), host);
        assert.ok(!blocks.get(host)?.lines.includes("Reboot is required to fully utilize these updates."), host);
      }
      const none = kayobe(fx, args);
      assert.ok(![...hostBlocks(none.stdout).values()].some((b) => b.lines.includes("Reboot is required to fully utilize these updates.")));
    });

    it("fails needs-restarting -r alone where a reboot is needed: it exits 1", () => {
      const r = kayobe(fx, ["overcloud", "host", "command", "run", "--command", "needs-restarting -r", "--show-output", "-l", "compute"],
        { KAYOBE_SIM_REBOOT_REQUIRED: "all" });
      assert.strictEqual(r.status, 2);
      assert.strictEqual(hostBlocks(r.stdout).get("cmp0")?.header, "cmp0 | FAILED | rc=1 >>");
      assert.match(r.stdout, /^fatal: \[cmp0\]: FAILED! => .*"msg": "non-zero return code"/m);
    });

    it("finds in check mode the changes KAYOBE_SIM_CHECK_CHANGES and KAYOBE_SIM_CHECK_TASKS ask for, with their diffs, and none otherwise", () => {
      const check = ["overcloud", "host", "configure", "--check", "--diff"];
      const r = kayobe(fx, check, { KAYOBE_SIM_CHECK_CHANGES: "ctl1,cmp0", KAYOBE_SIM_CHECK_TASKS: "4" });
      assert.strictEqual(r.status, 0);
      const changes = checkModeChanges(r.stdout);
      assert.deepStrictEqual([changes.hosts, changes.tasks], [["cmp0", "ctl1"], 8]);
      assert.match(changes.text, /^TASK \[Ensure chrony is configured\] \*+\n--- before: \/etc\/chrony\.conf\n\+\+\+ after: \/etc\/chrony\.conf\n@@ -1,2 \+1,2 @@\n-server ntp0\.example\.org iburst\n\+server ntp1\.example\.org iburst\n # managed by kayobe\nchanged: \[ctl1\]$/m);
      assert.match(r.stdout, /^ctl1 +: ok=5 +changed=4 /m);
      assert.deepStrictEqual(checkModeChanges(kayobe(fx, check).stdout), { text: "", hosts: [], tasks: 0 });
      // Not in check mode, the configuration is applied: a change on every host.
      assert.match(kayobe(fx, ["overcloud", "host", "configure"], { KAYOBE_SIM_CHECK_CHANGES: "ctl1" }).stdout, /^ctl0 +: ok=\d+ +changed=[1-9]/m);
    });

    it("fails needs-restarting -r where it is not installed, as a shell does: exit 127, command not found", () => {
      const r = kayobe(fx, ["overcloud", "host", "command", "run", "--command", "needs-restarting -r", "--show-output", "-l", "compute"], { KAYOBE_SIM_NO_NEEDS_RESTARTING: "cmp1" });
      assert.strictEqual(r.status, 2);
      assert.match(r.stdout, /^fatal: \[cmp1\]: FAILED! => .*"rc": 127, "stderr": "\/bin\/sh: needs-restarting: command not found", "stdout": ""/m);
      assert.ok(hostBlocks(r.stdout).get("cmp0")?.lines.includes("Reboot should not be necessary."));
    });

    it("brings a host named in KAYOBE_SIM_UNHEALTHY back from its package update unhealthy for N container checks, its clusters a node short", () => {
      const containers = ["overcloud", "host", "command", "run", "-l", "controllers", "-b", "--command", 'ps=$(docker ps --all --format "{{.Names}} {{.Status}}") && ! echo "$ps" | grep -E "Restarting|\\(unhealthy\\)"', "--show-output"];
      const mariadb = ["overcloud", "host", "command", "run", "-l", "controllers", "-b", "--command", "docker exec mariadb mysql --execute='SHOW STATUS LIKE wsrep_cluster_size' | awk '{ print } $2 == 1 { ok = 1 } END { exit !ok }'", "--show-output"];
      const env = { KAYOBE_SIM_UNHEALTHY: "ctl0:2" };
      assert.strictEqual(kayobe(fx, containers, env).status, 0, "healthy before its update");
      assert.strictEqual(kayobe(fx, ["overcloud", "host", "package", "update", "--packages", "*", "-l", "ctl0"], env).status, 0);
      const sick = kayobe(fx, mariadb, env);
      assert.deepStrictEqual([sick.status, hostBlocks(sick.stdout).get("ctl0")?.lines[0]], [2, "wsrep_cluster_size\t0"]);
      const first = kayobe(fx, containers, env);
      assert.deepStrictEqual([first.status, hostBlocks(first.stdout).get("ctl0")?.lines[0]], [2, "mariadb Restarting (1) 4 seconds ago"]);
      assert.strictEqual(kayobe(fx, containers, env).status, 2);
      assert.strictEqual(kayobe(fx, containers, env).status, 0, "healthy after two checks");
      assert.strictEqual(kayobe(fx, mariadb, env).status, 0);
    });

    it("prints a df table for df -h, and nothing for other commands", () => {
      const df = kayobe(fx, ["overcloud", "host", "command", "run", "--command", "df -h", "--show-output", "-l", "controllers[0]"]);
      assert.strictEqual(df.status, 0);
      assert.match(hostBlocks(df.stdout).get("ctl0")?.lines[0] ?? "", /^Filesystem\s+Size\s+Used\s+Avail\s+Use%\s+Mounted on$/);
      const other = kayobe(fx, ["overcloud", "host", "command", "run", "--command", "docker image prune -a -f", "--show-output", "-l", "ctl0"]);
      assert.deepStrictEqual(hostBlocks(other.stdout).get("ctl0")?.lines, [""]);
    });
  });

  describe("the cloud's RabbitMQ", () => {
    before(function () {
      needsRealKayobe(this);
    });
    /** `overcloud host command run` on the controllers, as StackHPC's upgrade-prerequisites.sh asks. */
    const ask = (command: string, extra: Record<string, string> = {}) => kayobe(fx, ["overcloud", "host", "command", "run", "-l", "controllers", "-b", "--command", command, "--show-output"], extra);
    const answers = (r: Result) => [...hostBlocks(r.stdout)].map(([host, block]) => [host, block.header.split(" | ")[1], block.lines.filter((l) => l !== "").join(",")]);
    const state = () => JSON.parse(fs.readFileSync(path.join(fx.dir, "kayobe-sim-cloud.json"), "utf8"));

    it("answers rabbitmqctl --version on each controller, and a grep that matches nothing fails each host, so kayobe exits 2", () => {
      const old = ask("docker exec rabbitmq rabbitmqctl --version | grep -F 3.11.");
      assert.strictEqual(old.status, 0);
      assert.deepStrictEqual(answers(old), [["ctl0", "CHANGED", "3.11.28"], ["ctl1", "CHANGED", "3.11.28"], ["ctl2", "CHANGED", "3.11.28"]]);
      const newer = ask("docker exec rabbitmq rabbitmqctl --version | grep -F 3.12.");
      assert.strictEqual(newer.status, 2);
      assert.deepStrictEqual(answers(newer), [["ctl0", "FAILED", ""], ["ctl1", "FAILED", ""], ["ctl2", "FAILED", ""]]);
      assert.match(newer.stdout, /^fatal: \[ctl0\]: FAILED! => .*"rc": 1/m);
      assert.match(newer.stderr, /Kayobe playbook\(s\) \S+\/host-command-run\.yml exited 2\n$/);
    });

    it("starts as its settings say, and refuses settings it cannot play", () => {
      const extra = { KAYOBE_SIM_RABBITMQ_VERSION: "3.13.7", KAYOBE_SIM_RABBITMQ_QUEUES: "quorum" };
      assert.deepStrictEqual(answers(ask("docker exec rabbitmq rabbitmqctl --version", extra))[0], ["ctl0", "CHANGED", "3.13.7"]);
      assert.strictEqual(ask("docker exec rabbitmq rabbitmqctl list_queues type | grep quorum", extra).status, 0);
      assert.strictEqual(ask("docker exec rabbitmq rabbitmqctl list_queues type | grep quorum").status, 2);
      const bad = ask("docker exec rabbitmq rabbitmqctl --version", { KAYOBE_SIM_RABBITMQ_QUEUES: "mirrored" });
      assert.strictEqual(bad.status, 1);
      assert.match(bad.stderr, /invalid KAYOBE_SIM_RABBITMQ_VERSION '3\.11\.28' or KAYOBE_SIM_RABBITMQ_QUEUES 'mirrored'/);
    });

    it("is upgraded by kolla ansible run rabbitmq-upgrade, kept beside the journal, over the settings", () => {
      assert.strictEqual(kayobe(fx, ["kolla", "ansible", "run", "rabbitmq-upgrade 3.12"]).status, 0);
      assert.deepStrictEqual(state(), { rabbitmq_queues: "classic", rabbitmq_version: "3.12.13" });
      assert.strictEqual(ask("docker exec rabbitmq rabbitmqctl --version | grep -F 3.12.").status, 0);
      assert.strictEqual(kayobe(fx, ["kolla", "ansible", "run", "rabbitmq-upgrade 3.13"]).status, 0);
      assert.deepStrictEqual(answers(ask("docker exec rabbitmq rabbitmqctl --version", { KAYOBE_SIM_RABBITMQ_VERSION: "3.11.1" }))[0], ["ctl0", "CHANGED", "3.13.7"]);
    });

    it("plays the quorum migration: time synchronised, no queue nor exchange after the reset, quorum queues after the redeployment", () => {
      assert.strictEqual(ask("timedatectl status | grep 'synchronized: yes'").status, 0);
      const queues = "docker exec rabbitmq rabbitmqctl list_queues name --silent | grep -v '^$'";
      const exchanges = "docker exec rabbitmq rabbitmqctl list_exchanges name --silent | grep -v '^$' | grep -v '^amq.'";
      assert.deepStrictEqual([ask(queues).status, ask(exchanges).status], [0, 0]);
      assert.strictEqual(kayobe(fx, ["kolla", "ansible", "run", "stop --yes-i-really-really-mean-it", "-kt", "nova"]).status, 0);
      assert.strictEqual(kayobe(fx, ["kolla", "ansible", "run", "rabbitmq-reset-state"]).status, 0);
      assert.deepStrictEqual([ask(queues).status, ask(exchanges).status], [2, 2]);
      assert.strictEqual(kayobe(fx, ["kolla", "ansible", "run", "deploy-containers", "-kt", "nova"]).status, 0);
      assert.deepStrictEqual(answers(ask("docker exec rabbitmq rabbitmqctl list_queues type | grep quorum"))[0], ["ctl0", "CHANGED", "quorum,quorum,quorum"]);
    });
  });

  describe("overcloud service configuration save", () => {
    before(function () {
      needsRealKayobe(this);
    });
    const limit = ["--limit", "controllers[0],compute[0],storage[0]", "--exclude", "ironic-agent.initramfs,ironic-agent.kernel"];
    const save = (nodeDir: string, out: string, env: Record<string, string> = {}): Result =>
      kayobe(fx, ["overcloud", "service", "configuration", "save", "--node-config-dir", nodeDir, "--output-dir", out, ...limit],
        { HOME: fx.dir, ...env });

    it("saves the running and the generated configuration so that a diff shows the release's changes", () => {
      assert.strictEqual(save("/etc/kolla", "~/kolla-diff/old").status, 0);
      assert.strictEqual(save("/tmp/kolla", "~/kolla-diff/new").status, 0);
      const old = readTree(path.join(fx.dir, "kolla-diff/old"));
      const generated = readTree(path.join(fx.dir, "kolla-diff/new"));
      assert.deepStrictEqual([...new Set([...old.keys()].map((f) => f.split("/")[0]))].sort(), ["cmp0", "ctl0", "stg0"]);
      assert.ok(old.has("ctl0/etc/kolla/nova-api/nova.conf"));
      assert.ok(generated.has("ctl0/tmp/kolla/nova-api/nova.conf"));
      assert.ok(![...old.keys()].some((f) => f.includes("ironic-agent")));
      // The runbook's "fix up the paths" step, then compare.
      const moved = new Map([...generated].map(([f, c]) => [f.replace(/^([^/]+)\/tmp\//, "$1/etc/"), c]));
      assert.deepStrictEqual([...moved.keys()].sort(), [...old.keys()].sort());
      const changed = [...old.keys()].filter((f) => old.get(f) !== moved.get(f)).sort();
      assert.deepStrictEqual(changed, [
        "cmp0/etc/kolla/nova-compute/nova.conf",
        "ctl0/etc/kolla/keystone/keystone.conf",
        "ctl0/etc/kolla/neutron-server/neutron.conf",
        "ctl0/etc/kolla/nova-api/nova.conf",
        "stg0/etc/kolla/cinder-volume/cinder.conf",
      ]);
      assert.match(old.get("ctl0/etc/kolla/nova-api/nova.conf") ?? "", /^rabbit_ha_queues = true$/m);
      assert.match(moved.get("ctl0/etc/kolla/nova-api/nova.conf") ?? "", /^rabbit_quorum_queue = true$/m);
      const diff = spawnSync("diff", ["-ru", "old/ctl0/etc/kolla/nova-api", "new/ctl0/tmp/kolla/nova-api"],
        { cwd: path.join(fx.dir, "kolla-diff"), encoding: "utf8" });
      assert.strictEqual(diff.status, 1);
      assert.match(diff.stdout, /^-rabbit_ha_queues = true$/m);
    });

    it("saves identical trees when the running release is already the configured one", () => {
      save("/etc/kolla", "old", { KAYOBE_SIM_RUNNING_RELEASE: "2024.1" });
      save("/tmp/kolla", "new");
      const old = readTree(path.join(fx.dir, "old"));
      const generated = readTree(path.join(fx.dir, "new"));
      assert.ok(old.size > 0);
      for (const [file, content] of old) {
        assert.strictEqual(generated.get(file.replace(/^([^/]+)\/etc\//, "$1/tmp/")), content, file);
      }
    });
  });

  describe("what the real kayobe answers", function () {
    this.timeout(60000);
    const python = `{{ ansible_playbook_python }}`;
    const dump = (name: string, env: Record<string, string> = {}): Result =>
      kayobe(fx, ["configuration", "dump", "--host", "localhost", "--var-name", name, "-e", `ansible_python_interpreter=${python}`], env);

    before(function () {
      needsRealKayobe(this);
    });

    it("passes configuration dump to kayobe: variables rendered, kayobe's own release for a codename-only openstack.yml", () => {
      writeFiles(fx.config, {
        "openstack.yml": "---\nopenstack_release_codename: caracal\n",
        "site.yml": '---\nsite_label: "{{ openstack_release }}-{{ openstack_release_codename }}"\n',
      });
      const r = dump("site_label");
      assert.strictEqual(r.status, 0, r.stderr);
      assert.strictEqual(JSON.parse(r.stdout), "2024.1-caracal");
      assert.deepStrictEqual(journal(fx).map((l) => [l.event, l.exit]), [["start", undefined], ["end", 0]]);
    });

    it("decrypts a vault-encrypted variables file with KAYOBE_VAULT_PASSWORD, and fails as kayobe without it", () => {
      const secrets = path.join(fx.config, "secrets.yml");
      const passwordFile = path.join(fx.dir, "vault-password");
      writeFiles(fx.dir, { "vault-password": PASSWORD });
      writeFiles(fx.config, { "secrets.yml": "---\nsite_secret: hush-hush\n" });
      const vault = spawnSync(path.join(path.dirname(REAL_KAYOBE), "ansible-vault"), ["encrypt", "--vault-password-file", passwordFile, secrets], { encoding: "utf8" });
      assert.strictEqual(vault.status, 0, vault.stderr);
      assert.match(fs.readFileSync(secrets, "utf8"), /^\$ANSIBLE_VAULT;/);
      const r = dump("site_secret", { KAYOBE_VAULT_PASSWORD: PASSWORD });
      assert.strictEqual(r.status, 0, r.stderr);
      assert.strictEqual(JSON.parse(r.stdout), "hush-hush");
      assert.ok(!fs.readFileSync(fx.journal, "utf8").includes(PASSWORD));
      const without = dump("site_secret");
      assert.strictEqual(without.status, 1);
      assert.match(without.stderr, /no vault secrets found/);
      assert.deepStrictEqual(journal(fx).slice(2).map((l) => [l.event, l.exit]), [["start", undefined], ["end", 1]]);
    });

    describe("an inventory as a StackHPC site writes it", () => {
      beforeEach(() => {
        fs.rmSync(path.join(fx.config, "environments/staging/inventory"), { recursive: true });
        writeFiles(fx.config, {
          "inventory/hosts": "localhost ansible_connection=local\n",
          "environments/staging/inventory/hosts": "[seed-hypervisor]\nshv0\n[seed]\nseed0\n[controllers]\nstg-ctl-[01:03]\n[storage]\nstg0\n",
          "environments/staging/inventory/compute-hosts": "[compute]\nstg-cmp-[08:10] ansible_user=stack\n",
          "environments/yaml/inventory/hosts.yml": "all:\n  children:\n    controllers:\n      hosts:\n        prd-ctl-01:\n        prd-ctl-02:\n    compute:\n      hosts:\n        prd-cmp-01:\n",
        });
      });
      const upgrade = (limit: string, env: Record<string, string> = {}): Result => kayobe(fx, ["overcloud", "host", "upgrade", "-l", limit], env);

      it("targets hosts of ranges, of any file name, of a YAML inventory and an explicit localhost", () => {
        assert.deepStrictEqual(recapHosts(upgrade("stg-ctl-02,compute").stdout), ["stg-cmp-08", "stg-cmp-09", "stg-cmp-10", "stg-ctl-02"]);
        assert.deepStrictEqual(recapHosts(upgrade("controllers[-1]:stg-cmp-09").stdout), ["stg-cmp-09", "stg-ctl-03"]);
        const yaml = upgrade("prd-ctl-02:compute", { KAYOBE_ENVIRONMENT: "yaml" });
        assert.strictEqual(yaml.status, 0, yaml.stderr);
        assert.deepStrictEqual(recapHosts(yaml.stdout), ["prd-cmp-01", "prd-ctl-02"]);
        const pulp = kayobe(fx, ["playbook", "run", path.join(fx.config, "ansible/pulp-repo-sync.yml")]);
        assert.deepStrictEqual([pulp.status, recapHosts(pulp.stdout)], [0, ["localhost"]]);
        // Unlike the implicit localhost, an inventory's localhost is one of "all".
        writeFiles(fx.config, { "ansible/everywhere.yml": "- name: Everywhere\n  hosts: all\n" });
        const all = kayobe(fx, ["playbook", "run", path.join(fx.config, "ansible/everywhere.yml"), "-l", "all:!overcloud:!seed*"]);
        assert.deepStrictEqual([all.status, recapHosts(all.stdout)], [0, ["localhost"]]);
      });

      it("refuses a limit that matches no host, the range's unpadded names included", () => {
        for (const limit of ["stg-ctl-1", "stg-cmp-07", "localhost", "prd-ctl-01"]) {
          const r = upgrade(limit);
          assert.strictEqual(r.status, 1, limit);
          assert.match(r.stderr, /^ERROR! Specified inventory, host pattern and\/or --limit leaves us with no hosts to target\.$/m, limit);
        }
      });

      it("asks Ansible once, until an inventory file changes", () => {
        // A stand-in for the real kayobe's bin folder whose ansible-inventory counts its calls.
        const bin = path.join(fx.dir, "venv-bin");
        const calls = path.join(fx.dir, "inventory-calls");
        fs.mkdirSync(bin);
        fs.symlinkSync(REAL_KAYOBE, path.join(bin, "kayobe"));
        fs.writeFileSync(path.join(bin, "ansible-inventory"),
          `#!/bin/sh\necho >> '${calls}'\nexec '${path.join(path.dirname(REAL_KAYOBE), "ansible-inventory")}' "$@"\n`, { mode: 0o755 });
        const env = { KAYOBE_SIM_REAL_KAYOBE: path.join(bin, "kayobe") };
        const asked = (): number => (fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").length : 0);
        assert.deepStrictEqual(recapHosts(upgrade("compute", env).stdout), ["stg-cmp-08", "stg-cmp-09", "stg-cmp-10"]);
        assert.deepStrictEqual(recapHosts(upgrade("compute", env).stdout), ["stg-cmp-08", "stg-cmp-09", "stg-cmp-10"]);
        assert.strictEqual(asked(), 1);
        writeFiles(fx.config, { "environments/staging/inventory/compute-hosts": "[compute]\nstg-cmp-[08:11]\n" });
        assert.deepStrictEqual(recapHosts(upgrade("compute", env).stdout), ["stg-cmp-08", "stg-cmp-09", "stg-cmp-10", "stg-cmp-11"]);
        assert.strictEqual(asked(), 2);
        assert.strictEqual(fs.readdirSync(path.join(fx.dir, ".kayobe-sim-cache")).filter((f) => f.startsWith("inventory-")).length, 2);
      });
    });

    describe("overcloud service configuration generate", () => {
      const generate = (env: Record<string, string> = {}): Result =>
        kayobe(fx, ["overcloud", "service", "configuration", "generate", "--node-config-dir", "/tmp/kolla-generated", "--skip-prechecks"], env);
      const globals = (): string => fs.readFileSync(path.join(fx.dir, "kolla", "globals.yml"), "utf8");

      beforeEach(() => {
        writeFiles(fx.config, {
          "kolla.yml": "---\nsite_domain: example.org\nsite_quorum: yes\n",
          "kolla/globals.yml": [
            "---", "kolla_internal_fqdn: \"internal.{{ openstack_release_codename }}.{{ site_domain }}\"",
            "om_enable_rabbitmq_quorum_queues: {{ site_quorum }}", "om_enable_rabbitmq_high_availability: yes",
            "nova_services: {api: {enabled: true}, compute: {enabled: true}}", "regions: [one, two]", "",
          ].join("\n"),
          "environments/staging/kolla/globals.yml": "---\nom_enable_rabbitmq_high_availability: no\nnova_services: {compute: {enabled: false}}\nregions: [three]\n",
        });
      });

      it("writes $KOLLA_CONFIG_PATH/globals.yml as kayobe renders and merges it, booleans as true/false", () => {
        const r = generate({ KOLLA_CONFIG_PATH: path.join(fx.dir, "kolla") });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /^TASK \[Ensure the Kolla global configuration file exists\] \*+\nchanged: \[localhost\]$/m);
        // What StackHPC's tools/rabbitmq-quorum-migration.sh greps.
        assert.match(globals(), /^om_enable_rabbitmq_quorum_queues: true$/m);
        assert.match(globals(), /^om_enable_rabbitmq_high_availability: false$/m);
        assert.deepStrictEqual(YAML.parse(globals()), {
          kolla_internal_fqdn: "internal.caracal.example.org",
          nova_services: { api: { enabled: true }, compute: { enabled: false } },
          om_enable_rabbitmq_high_availability: false,
          om_enable_rabbitmq_quorum_queues: true,
          openstack_release: "2024.1",
          regions: ["three"],
        });
      });

      it("writes nothing without KOLLA_CONFIG_PATH, and fails on a variable kayobe does not define", () => {
        const unset = generate();
        assert.strictEqual(unset.status, 0, unset.stderr);
        assert.match(unset.stderr, /no globals\.yml written: it writes none to \/etc\/kolla; set KOLLA_CONFIG_PATH/);
        writeFiles(fx.config, { "environments/staging/kolla/globals.yml": 'nova_console: "{{ site_console }}"\n' });
        const r = generate({ KOLLA_CONFIG_PATH: path.join(fx.dir, "kolla") });
        assert.strictEqual(r.status, 2);
        assert.match(r.stdout, /^fatal: \[localhost\]: FAILED! => .*it uses a variable kayobe does not define/m);
        assert.match(r.stderr, /Kayobe playbook\(s\) \S+\/kolla-ansible\.yml exited 2\n$/);
        assert.ok(!fs.existsSync(path.join(fx.dir, "kolla", "globals.yml")));
      });
    });
  });
});
