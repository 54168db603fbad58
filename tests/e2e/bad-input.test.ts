// Bad stack config and bad kayobe-config on the real engine: each refused at preview
// with a message naming the stack, the key and what is expected, before any kayobe
// command runs, and with nothing already recorded lost.
import * as assert from "assert";
import * as fs from "fs";
import { parse, stringify } from "yaml";
import { Workspace } from "./workspace";

type Change = (ws: Workspace, config: Record<string, unknown>) => void;

const config = (key: string, value: unknown): Change => (_ws, c) => {
  if (value === undefined) delete c[`kayobe-upgrade:${key}`];
  else c[`kayobe-upgrade:${key}`] = value;
};
const sample = (file: string, edit: (text: string) => string): Change => (ws) => {
  const path = ws.kayobeConfig(file);
  fs.writeFileSync(path, edit(fs.existsSync(path) ? fs.readFileSync(path, "utf8") : ""));
  ws.commit(`break ${file}`);
};

/** [what, how to break it, what the refusal says] */
const CASES: [string, Change[], RegExp][] = [
  ["no target release", [config("targetRelease", undefined)], /kayobe-upgrade:targetRelease: is not set; expected an OpenStack release series such as 2024\.1/],
  ["an unknown release", [config("targetRelease", "caracal")], /kayobe-upgrade:targetRelease: expected one of 2023\.1, 2024\.1, 2025\.1 \(got "caracal"\)/],
  ["a target release whose runbook is not written yet", [config("targetRelease", "2025.1")], /kayobe-upgrade:targetRelease: no runbook is written yet for the upgrade to 2025\.1 \(epoxy\) from 2024\.1/],
  ["a kayobe-config at another release", [sample("etc/kayobe/openstack.yml", () => "openstack_release_codename: antelope\n")], /kayobe-upgrade:kayobeConfigPath: the stack upgrades from 2023\.1 \(antelope\) to 2024\.1 \(caracal\), but the kayobe-config checkout at \S+ is not at 2024\.1: it names its release antelope/],
  ["a source-release ref the repository does not have", [config("sourceConfigRef", "site/2023.2")], /kayobe-upgrade:sourceConfigRef: "site\/2023\.2" is not a branch, tag or commit of the kayobe-config repository at \S+ \(it has: site\/2023\.1, site\/2024\.1\)/],
  ["a source-release ref at the target release", [config("sourceConfigRef", "site/2024.1")], /kayobe-upgrade:sourceConfigRef: the stack upgrades from 2023\.1 \(antelope\) to 2024\.1 \(caracal\), but site\/2024\.1 \(\w+\) is not at 2023\.1: it names its release caracal/],
  ["a source-release ref git would read as an option", [config("sourceConfigRef", "--orphan")], /kayobe-upgrade:sourceConfigRef: expected a git branch, tag or commit of the kayobe-config checkout, such as site\/2023\.1 \(got "--orphan"\)/],
  ["a source-release kayobe of the target release", [config("sourcePreflightKayobeBin", ".kayobe-upgrade/kayobe-16.8.0/bin/kayobe")], /kayobe-upgrade:sourceConfigRef: .* is not at 2023\.1: \S+kayobe-16\.8\.0\/bin\/kayobe evaluates its openstack_release as 2024\.1; .*kayobe-upgrade:sourcePreflightKayobeBin for 2023\.1/],
  ["a missing kayobe-config", [config("kayobeConfigPath", "/nonexistent/etc/kayobe")], /kayobe-upgrade:kayobeConfigPath: expected the etc\/kayobe folder of a kayobe-config checkout, but \/nonexistent\/etc\/kayobe is not a folder/],
  ["an environment that does not exist", [config("environment", "stagign")], /kayobe-upgrade:environment: expected a kayobe environment, but \S+stagign does not exist \(environments there: production, staging\)/],
  ["a malformed environment", [config("environment", "../etc")], /kayobe-upgrade:environment: expected the name of a folder under etc\/kayobe\/environments \(got "\.\.\/etc"\)/],
  ["no vault password", [config("vaultPassword", undefined)], /kayobe-upgrade:vaultPassword: is not set; expected the Ansible Vault password as a secret/],
  ["a vault password in plaintext", [config("vaultPassword", "hunter2")], /kayobe-upgrade:vaultPassword: is stored in plaintext; expected a secret/],
  ["kayobeEnv that is not a map", [config("kayobeEnv", ["KOLLA_VENV_PATH"])], /kayobe-upgrade:kayobeEnv: expected a map of environment variable names to strings/],
  ["kayobeEnv setting what has its own key", [config("kayobeEnv", { KAYOBE_CONFIG_PATH: "/etc/kayobe" })], /kayobe-upgrade:kayobeEnv: KAYOBE_CONFIG_PATH is set from its own key/],
  ["secret environment in plaintext", [config("kayobeSecretEnv", { OS_PASSWORD: "x" })], /kayobe-upgrade:kayobeSecretEnv: is stored in plaintext; expected a secret/],
  ["an unknown stage", [config("stage", "prod")], /kayobe-upgrade:stage: expected staging or production \(got "prod"\)/],
  ["a wrong type: a batch size that is not a number", [config("hypervisorBatchSize", "four")], /kayobe-upgrade:hypervisorBatchSize: expected a whole number of at least 1 \(got "four"\)/],
  ["a malformed VIP host", [config("vipHost", "controllers[0]")], /kayobe-upgrade:vipHost: expected a host name from the inventory \(got "controllers\[0\]"\)/],
  ["a VIP host that is not a controller", [config("vipHost", "stg-cmp-01")], /kayobe-upgrade:vipHost: expected one of the controllers or network hosts \(stg-ctl-01, stg-ctl-02, stg-ctl-03\), got "stg-cmp-01"/],
  ["image regexes as a string", [config("overcloudImageRegexes", "nova-api")], /kayobe-upgrade:overcloudImageRegexes: expected a list of (non-empty )?strings/],
  ["kolla tags with spaces", [config("serviceUpgradeKollaTags", "keystone nova")], /kayobe-upgrade:serviceUpgradeKollaTags: expected comma-separated tags such as config or keystone,nova \(got "keystone nova"\)/],
  ["a flag that is not true or false", [config("parallelPhases", "yes")], /kayobe-upgrade:parallelPhases: expected true or false \(got "yes"\)/],
  ["a maintenance window that is not an interval", [config("maintenanceWindow", "tonight")], /kayobe-upgrade:maintenanceWindow: expected closed, open, or an ISO 8601 interval/],
  ["a timeout without a unit", [config("milestoneTimeout", "90")], /kayobe-upgrade:milestoneTimeout: expected a duration such as 90m, 12h or 45s, of at most 24 days \(got "90"\)/],
  ["a malformed staging stack name", [config("stage", "production"), config("staging", "org/staging")], /kayobe-upgrade:staging: expected the name of a stack of this project on the same backend \(got "org\/staging"\)/],
  ["an unknown backup point", [config("databaseBackups", ["before-seed"])], /kayobe-upgrade:databaseBackups: expected points among/],
  ["invalid YAML in the kayobe-config", [sample("etc/kayobe/kolla.yml", (t) => `${t}\n  broken: [\n`)], /kayobe-upgrade:kayobeConfigPath: `\S+ configuration dump` failed \(exit \d+\): [\s\S]*kolla\.yml/],
  ["an inventory without the controllers a phase needs", [sample("etc/kayobe/environments/staging/inventory/hosts", () => "[compute]\nh1\n")], /kayobe-upgrade:kayobeConfigPath: expected a controllers group with at least one host in the inventory/],
  ["a kolla globals template kayobe cannot render", [sample("etc/kayobe/kolla/globals.yml", (t) => `${t}\nneutron_dns_domain: "{{ site_dns_domain }}."\n`)], /kayobe-upgrade:kayobeConfigPath: kayobe could not evaluate kolla\/globals\.yml/],
  ["a vault file the stack's password does not open (production's secrets, staging's password)", [config("environment", "production")], /kayobe-upgrade:vaultPassword: `\S+ configuration dump` failed \(exit \d+\): ERROR! Decryption failed/],
  ["a kayobe-config with uncommitted changes", [(ws) => fs.appendFileSync(ws.kayobeConfig("etc/kayobe/kolla.yml"), "# an edit\n")], /kayobe-upgrade:allowDirtyKayobeConfig/],
  // Issue 17: each of these used to pass preview.
  ["a typo for stage", [config("stag", "production")], /kayobe-upgrade:stag: is not a setting of this project \(did you mean kayobe-upgrade:stage\?\)/],
  ["a typo for vipHost", [config("vipHots", "stg-ctl-01")], /kayobe-upgrade:vipHots: is not a setting of this project \(did you mean kayobe-upgrade:vipHost\?\)/],
  ["a kayobe that does not exist", [config("kayobeBin", "/nonexistent/bin/kayobe")], /kayobe-upgrade:kayobeBin: expected the kayobe executable, but \/nonexistent\/bin\/kayobe does not exist/],
  ["a virtualenv without pip", [config("kayobeVenv", "/nonexistent")], /kayobe-upgrade:kayobeVenv: expected the Kayobe virtualenv, whose bin\/pip reinstalls kayobe's requirements, but \/nonexistent\/bin\/pip does not exist/],
  ["logs under /proc, where up hung", [config("logDir", "/proc/kayobe-logs")], /kayobe-upgrade:logDir: expected a folder this user can write logs in, but \/proc is on a kernel pseudo file system/],
  ["a tag kayobe would read as an option", [config("serviceUpgradeTags", "-v")], /kayobe-upgrade:serviceUpgradeTags: expected comma-separated tags such as config or keystone,nova \(got "-v"\)/],
  ["an image regex kayobe would read as --extra-vars", [config("overcloudImageRegexes", ["-ekolla_docker_namespace=evil"])], /kayobe-upgrade:overcloudImageRegexes: "-ekolla_docker_namespace=evil" would be read by kayobe as an option/],
  ["an inventory host named -e", [sample("etc/kayobe/environments/staging/inventory/compute-hosts", (t) => `${t}-e\n`)], /kayobe-upgrade:kayobeConfigPath: \S+ would run "[^"]*--limit -e", where kayobe reads "-e" as an option/],
  ["a window without a time zone", [config("maintenanceWindow", "2026-11-28T20:00/2026-11-29T02:00")], /kayobe-upgrade:maintenanceWindow: expected closed, open, or an ISO 8601 interval with offsets/],
  ["1/2 as a window", [config("maintenanceWindow", "1/2")], /kayobe-upgrade:maintenanceWindow: expected closed, open, or an ISO 8601 interval with offsets .* \(got "1\/2"\)/],
  ["a production stack whose staging stack does not exist", [config("stage", "production"), config("staging", "nostaging")], /kayobe-upgrade:staging: the staging stack "nostaging" does not exist on this backend \(stacks: broken\)/],
];

describe(`bad input on the real engine (${CASES.length} kinds)`, function () {
  const ws = new Workspace();
  const stack = "broken";
  const stackFile = ws.file(`Pulumi.${stack}.yaml`);
  // Reading the kayobe-config is a kayobe call too, `configuration dump`, which changes nothing.
  const calls = () => ws.calls(stack).filter((call) => !call.startsWith("configuration dump"));
  const recordedMilestones = () => JSON.parse(ws.exportState(stack)).deployment.resources.filter((r: { type: string }) => r.type.endsWith(":Milestone")).length;
  let good = "";
  let goodConfig = "";
  let recorded = 0;

  before(() => {
    goodConfig = ws.kayobeConfigGit("rev-parse", "HEAD");
    // The staging stack's config (and its secrets' salt) under another name.
    good = fs.readFileSync(ws.file("Pulumi.staging.yaml"), "utf8").replace(".kayobe-upgrade/staging/kayobe-journal.jsonl", `.kayobe-upgrade/${stack}/kayobe-journal.jsonl`);
    fs.writeFileSync(stackFile, good);
    ws.stack(stack);
    ws.pulumi(["up", "--yes", "--stack", stack], { env: { KAYOBE_SIM_FAIL: "^control host upgrade$" }, expectFailure: true });
    recorded = recordedMilestones();
    assert.ok(recorded > 0, "something is recorded before the bad input");
    assert.ok(calls().includes("control host upgrade"), "the journal is this stack's");
  });

  afterEach(() => {
    fs.writeFileSync(stackFile, good);
    ws.kayobeConfigGit("reset", "-q", "--hard", goodConfig);
  });

  for (const [what, changes, message] of CASES) {
    it(`refuses ${what}`, () => {
      const settings = parse(good) as { config: Record<string, unknown> };
      for (const change of changes) change(ws, settings.config);
      fs.writeFileSync(stackFile, stringify(settings));
      const made = calls().length;
      const { stdout, stderr } = ws.pulumi(["preview", "--stack", stack], { expectFailure: true });
      const output = stdout + stderr;
      assert.match(output, new RegExp(`stack "${stack}": ${message.source}`));
      assert.doesNotMatch(output, /^\s+at /m, "no stack trace");
      assert.strictEqual(calls().length, made, "no kayobe call");
      assert.strictEqual(recordedMilestones(), recorded, "nothing recorded is lost");
    });
  }

  it("goes on from where it was once the input is good again", () => {
    const before = calls().length;
    const { stdout } = ws.pulumi(["up", "--yes", "--stack", stack], { env: { KAYOBE_SIM_FAIL: "pulp-repo-sync" }, expectFailure: true });
    assert.deepStrictEqual(calls().slice(before, before + 1), ["control host upgrade"], stdout);
  });
});
