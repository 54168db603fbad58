// Conformance: the tool on a kayobe-config nobody on the project wrote, the published
// stackhpc/2023.1 and stackhpc/2024.1 trees with a site environment, unedited: preview
// and a whole simulated upgrade on the real engine, the Prerequisites from 2023.1 (with
// StackHPC's own quorum migration script), the rest from 2024.1.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { fixturesMissing, SITE_VAULT_PASSWORD, siteKayobeConfig } from "./stackhpc-config";
import { REAL_KAYOBE, REAL_KAYOBE_2023_1, Workspace } from "./workspace";

describe("conformance: the real stackhpc-kayobe-config, 2023.1 then 2024.1, with a site environment", function () {
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
  let checkout: string;
  let worktree: string;

  before(() => {
    ws = new Workspace();
    configPath = siteKayobeConfig();
    checkout = path.resolve(configPath, "..", "..");
    worktree = ws.file(`.kayobe-upgrade/${stack}/source-kayobe-config`);
    ws.stack(stack);
    const set = (key: string, value: string, secret = false) => ws.setConfig(stack, key, value, secret);
    set("kayobeBin", "simulator/kayobe");
    set("preflightKayobeBin", `${REAL_KAYOBE}/bin/kayobe`);
    set("sourcePreflightKayobeBin", `${REAL_KAYOBE_2023_1}/bin/kayobe`);
    set("kayobeConfigPath", configPath);
    set("sourceConfigRef", "site/2023.1");
    set("environment", "site");
    set("targetRelease", "2024.1");
    set("vaultPassword", SITE_VAULT_PASSWORD, true);
    // The site's kayobe virtualenv holds the 2023.1 kayobe until the runbook reinstalls it from 2024.1's requirements.
    set("kayobeEnv", JSON.stringify({ KAYOBE_SIM_JOURNAL: `.kayobe-upgrade/${stack}/kayobe-journal.jsonl`, KAYOBE_SIM_KAYOBE_VERSION: "14.5.0" }));
    set("rabbitmqUpgradeWait", "1");
    set("maintenanceWindow", "open");
  });

  it("previews the upgrade: each release's tree read by its kayobe, hosts from ranges in INI and YAML, the kolla globals rendered", () => {
    const started = Date.now();
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    console.log(`      preview of the real configs: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.match(stdout, new RegExp(`kayobe-config ${checkout}: commit [0-9a-f]{40} on site/2024\\.1, clean`));
    assert.ok(stdout.includes(`source release 2023.1 (site/2023.1): ${worktree}/etc/kayobe, evaluated by ${ws.file(REAL_KAYOBE_2023_1)}/bin/kayobe (release 2023.1, named antelope)`), stdout);
    assert.ok(stdout.includes(`target release 2024.1: ${configPath}, evaluated by ${ws.file(REAL_KAYOBE)}/bin/kayobe (release 2024.1, named caracal)`), stdout);
    for (const host of ["site-ctl01", "site-ctl03", "site-stg02", "site-cmp04"]) assert.match(stdout, new RegExp(`Milestone\\s+overcloud-host-package-update-${host}\\s+create`));
    assert.match(stdout, /Milestone\s+overcloud-host-package-update-site-cmp01\s+create/, "a hypervisor from the YAML inventory");
    assert.match(stdout, /Milestone\s+rabbitmq-quorum-migration\s+create/, "the site's 2023.1 globals set quorum queues");
    assert.match(stdout, /notable change "rabbitmq-quorum-queues" \(RabbitMQ quorum queues\): satisfied/);
    assert.deepStrictEqual(ws.journal(stack), []);
  });

  it("runs the whole simulated upgrade: the Prerequisites from the 2023.1 worktree with StackHPC's migration script, the rest from the 2024.1 checkout", () => {
    // A new stack has its review gates on: the kolla configuration diff of the real config
    // stops the service upgrade until the operator approves it, as the refusal says.
    const gated = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true }).stdout;
    assert.ok(gated.includes(`overcloud-service-upgrade: overcloud-service-configuration-preview shows changes to`), gated);
    assert.ok(!ws.calls(stack).includes("overcloud service upgrade"), "the service upgrade waits for the approval");
    ws.approveAsPrinted(gated, "overcloud-service-upgrade", stack);
    ws.pulumi(["up", "--yes", "--stack", stack]);
    const starts = ws.journal(stack).filter((entry) => entry.event === "start");
    const reinstall = starts.findIndex((entry) => entry.program === "pip");
    assert.ok(reinstall > 0, "the reinstall of kayobe is the first target-side call");
    const base = path.resolve(checkout, "..", "..");
    const where = (entry: (typeof starts)[number]) => [entry.cwd, entry.env.KAYOBE_CONFIG_PATH, entry.env.KAYOBE_ENVIRONMENT, entry.env.KOLLA_CONFIG_PATH, entry.env.KOLLA_VENV_PATH];
    // The kolla-ansible virtualenv is the control host's, beside the checkout, for both sides (StackHPC's kayobe-env derives it from the checkout's place).
    for (const entry of starts.slice(0, reinstall)) assert.deepStrictEqual(where(entry), [worktree, `${worktree}/etc/kayobe`, "site", `${worktree}/etc/kolla`, path.join(base, "venvs", "kolla-ansible")], entry.argv.join(" "));
    for (const entry of starts.slice(reinstall)) assert.deepStrictEqual(where(entry), [checkout, configPath, "site", path.join(checkout, "etc", "kolla"), path.join(base, "venvs", "kolla-ansible")], entry.argv.join(" "));
    const prerequisites = starts.slice(0, reinstall).map((entry) => entry.argv.join(" "));
    for (const call of ["kolla ansible run rabbitmq-upgrade 3.12", "kolla ansible run rabbitmq-upgrade 3.13", "kolla ansible run rabbitmq-reset-state"]) assert.ok(prerequisites.includes(call), call);
    assert.ok(prerequisites.some((call) => call.includes("timedatectl status")), "StackHPC's script ran, with its prechecks");
    assert.ok(fs.existsSync(path.join(worktree, "tools", "rabbitmq-quorum-migration.sh")));
    assert.ok(!fs.existsSync(path.join(checkout, "tools", "rabbitmq-quorum-migration.sh")), "2024.1 has no migration script");
    const calls = starts.filter((entry) => entry.program === undefined);
    const limits = calls.filter((call) => call.argv.slice(0, 4).join(" ") === "overcloud host package update").map((call) => call.argv[call.argv.indexOf("--limit") + 1]);
    assert.deepStrictEqual(limits.sort(), ["site-cmp01", "site-cmp02", "site-cmp03", "site-cmp04", "site-ctl01", "site-ctl02", "site-ctl03", "site-stg01", "site-stg02", "site-stg03"]);
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    assert.match(stdout, /\d+ unchanged/);
    assert.doesNotMatch(stdout, /to create|to update/);
  });
});
