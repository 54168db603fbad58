// Conformance: the tool on a kayobe-config nobody on the project wrote, the published
// stackhpc/2024.1 tree with a site environment, unedited: preview and a whole simulated
// upgrade on the real engine.
import * as assert from "assert";
import * as path from "path";
import { fixturesMissing, SITE_VAULT_PASSWORD, siteKayobeConfig } from "./stackhpc-config";
import { Workspace } from "./workspace";

describe("conformance: the real stackhpc-kayobe-config 2024.1 with a site environment", function () {
  const missing = fixturesMissing();
  if (missing !== undefined) {
    it(`skipped: ${missing}`, function () {
      console.log(`      conformance tier skipped: ${missing}`);
      this.skip();
    });
    return;
  }
  const stack = "site";
  let ws: Workspace;
  let configPath: string;

  before(() => {
    ws = new Workspace();
    configPath = siteKayobeConfig();
    ws.stack(stack);
    const set = (key: string, value: string, secret = false) => ws.setConfig(stack, key, value, secret);
    set("kayobeBin", "simulator/kayobe");
    set("preflightKayobeBin", ".kayobe-upgrade/kayobe-16.8.0/bin/kayobe");
    set("kayobeConfigPath", configPath);
    set("environment", "site");
    set("targetRelease", "2024.1");
    set("vaultPassword", SITE_VAULT_PASSWORD, true);
    set("kayobeEnv", JSON.stringify({ KAYOBE_SIM_JOURNAL: `.kayobe-upgrade/${stack}/kayobe-journal.jsonl` }));
    set("rabbitmqUpgradeWait", "1");
    set("maintenanceWindow", "open");
  });

  it("previews the upgrade: the release from the codename, hosts from ranges in INI and YAML, the kolla globals rendered", () => {
    const started = Date.now();
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    console.log(`      preview of the real config: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const checkout = path.resolve(configPath, "..", "..");
    assert.match(stdout, new RegExp(`kayobe-config ${checkout}: commit [0-9a-f]{40} on site/2024\\.1, clean; evaluated by \\S+simulator/kayobe \\(release 2024\\.1\\)`));
    assert.match(stdout, /commands run in \S+ with what its kayobe-env exports: KAYOBE_CONFIG_PATH, KAYOBE_ENVIRONMENT, KOLLA_CONFIG_PATH, KOLLA_SOURCE_PATH, KOLLA_VENV_PATH/);
    for (const host of ["site-ctl01", "site-ctl03", "site-stg02", "site-cmp04"]) assert.match(stdout, new RegExp(`Milestone\\s+overcloud-host-package-update-${host}\\s+create`));
    assert.match(stdout, /Milestone\s+overcloud-host-package-update-site-cmp01\s+create/, "a hypervisor from the YAML inventory");
    assert.match(stdout, /notable change "rabbitmq-quorum-queues" \(RabbitMQ quorum queues\): satisfied/);
    assert.deepStrictEqual(ws.journal(stack), []);
    assert.strictEqual(ws.reads(stack).length, 1);
  });

  it("runs the whole simulated upgrade: every command from the checkout, with the config's kayobe-env", () => {
    ws.pulumi(["up", "--yes", "--stack", stack]);
    const calls = ws.journal(stack).filter((entry) => entry.event === "start" && entry.program === undefined);
    assert.ok(calls.length > 40, `${calls.length} kayobe calls`);
    const checkout = path.resolve(configPath, "..", "..");
    const base = path.resolve(checkout, "..", "..");
    for (const call of calls) {
      assert.deepStrictEqual(
        [call.cwd, call.env.KAYOBE_CONFIG_PATH, call.env.KAYOBE_ENVIRONMENT, call.env.KOLLA_CONFIG_PATH, call.env.KOLLA_VENV_PATH],
        [checkout, configPath, "site", path.join(checkout, "etc", "kolla"), path.join(base, "venvs", "kolla-ansible")],
        call.argv.join(" "),
      );
    }
    const limits = calls.filter((call) => call.argv.slice(0, 4).join(" ") === "overcloud host package update").map((call) => call.argv[call.argv.indexOf("--limit") + 1]);
    assert.deepStrictEqual(limits.sort(), ["site-cmp01", "site-cmp02", "site-cmp03", "site-cmp04", "site-ctl01", "site-ctl02", "site-ctl03", "site-stg01", "site-stg02", "site-stg03"]);
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    assert.match(stdout, /\d+ unchanged/);
    assert.doesNotMatch(stdout, /to create|to update/);
  });
});
