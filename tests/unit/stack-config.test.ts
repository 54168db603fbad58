import * as assert from "assert";
import { RawSettings, settingsOf } from "../../resources/config/settings";
import { parseStackConfig } from "../../resources/config/stack-config";

const ROOT = "/srv/kayobe-upgrade";
/** The record, outside the checkout (scripts/record.sh). */
const RECORD = "/home/operator/.local/state/kayobe-upgrade";

/** A stack's settings as Pulumi hands them over, the names in `secrets` set as secrets. */
export function raw(values: Record<string, string | undefined>, secrets = ["vaultPassword"]): RawSettings {
  const all = Object.entries({ kayobeConfigPath: "kc/etc/kayobe", targetRelease: "2024.1", vaultPassword: "hunter2", ...values }).filter(([, value]) => value !== undefined);
  return settingsOf("prod", Object.fromEntries(all.map(([name, value]) => [`kayobe-upgrade:${name}`, { value, secret: secrets.includes(name) }])));
}
const SECRET_KEY = ["vaultPassword", "seedSshPrivateKey"];
const SECRET_ENV = ["vaultPassword", "kayobeSecretEnv"];
const WINDOW = "expected closed, open, or an ISO 8601 interval with offsets such as 2026-11-28T20:00Z/2026-11-29T02:00Z";

const HEALTH_EXPECTED = "a map from check names to a command (a list of strings, passing when it exits 0), or false to switch off one of containers, mariadb, rabbitmq";
const SMOKE_EXPECTED =
  'expected a map from a phase (Prerequisites, Preparation, Upgrading the Seed Hypervisor, Upgrading the Seed, Upgrading Wazuh Manager, Upgrading Wazuh Agents, Upgrading the Overcloud, Cleaning up) to a list of commands, each a list of strings such as ["openstack", "server", "list"]';

describe("stack config", () => {
  it("resolves paths against the project root, logs in the record, and defaults kayobe to PATH", () => {
    const config = parseStackConfig("staging", raw({ environment: "staging", kayobeEnv: '{"KOLLA_VENV_PATH":"/opt/kolla"}' }), ROOT, RECORD);
    assert.deepStrictEqual(config, {
      stack: "staging",
      kayobeBin: "kayobe",
      preflightKayobeBin: "kayobe",
      sourcePreflightKayobeBin: "kayobe",
      baremetalBin: "baremetal",
      kayobeConfigPath: "/srv/kayobe-upgrade/kc/etc/kayobe",
      sourceConfigRef: undefined,
      environment: "staging",
      targetRelease: "2024.1",
      kayobeEnv: { KOLLA_VENV_PATH: "/opt/kolla" },
      logDir: "/home/operator/.local/state/kayobe-upgrade/logs/staging",
      workDir: "/srv/kayobe-upgrade/.kayobe-upgrade/staging",
      stage: "staging",
      rabbitmqUpgradeWait: 200,
      hypervisorBatchSize: 1,
      vipHost: undefined,
      overcloudImageRegexes: [],
      serviceUpgradeTags: undefined,
      serviceUpgradeKollaTags: undefined,
      parallelPhases: false,
      stagingStack: "staging",
      promotionOverride: undefined,
      kayobeSecretEnv: {},
      maintenanceWindow: { state: "closed" },
      milestoneTimeoutSeconds: 43200,
      safety: { allowDirtyKayobeConfig: false, databaseBackups: [], kayobePip: undefined, prerequisiteChecks: {}, acknowledgedChanges: [] },
      smokeTests: {},
      seedSsh: undefined,
      doneByHand: {},
      hostSafety: { healthChecks: {}, healthAttempts: 30, healthIntervalSeconds: 20, rebootWithoutAnswer: {} },
      reviewGates: true,
      approvals: {},
    });
  });

  it("takes a kayobe path relative to the project and keeps an absolute one", () => {
    assert.strictEqual(parseStackConfig("s", raw({ kayobeBin: "simulator/kayobe" }), ROOT, RECORD).kayobeBin, "/srv/kayobe-upgrade/simulator/kayobe");
    assert.strictEqual(parseStackConfig("s", raw({ kayobeBin: "/opt/venvs/kayobe/bin/kayobe" }), ROOT, RECORD).kayobeBin, "/opt/venvs/kayobe/bin/kayobe");
  });

  it("checks the plan against kayobeBin unless another kayobe is named for the preflight", () => {
    assert.strictEqual(parseStackConfig("s", raw({ kayobeBin: "/opt/venvs/kayobe/bin/kayobe" }), ROOT, RECORD).preflightKayobeBin, "/opt/venvs/kayobe/bin/kayobe");
    const config = parseStackConfig("s", raw({ kayobeBin: "simulator/kayobe", preflightKayobeBin: "venvs/kayobe/bin/kayobe" }), ROOT, RECORD);
    assert.deepStrictEqual([config.kayobeBin, config.preflightKayobeBin], ["/srv/kayobe-upgrade/simulator/kayobe", "/srv/kayobe-upgrade/venvs/kayobe/bin/kayobe"]);
  });

  it("takes a sourceConfigRef that git could name, and refuses one it could not, or one git would read as an option", () => {
    for (const ref of ["site/2023.1", "stackhpc/2023.1", "v2023.1-final", "4652065b1c6be2d38b7615c88f46ab1176bc84c5"]) {
      assert.strictEqual(parseStackConfig("s", raw({ sourceConfigRef: ref }), ROOT, RECORD).sourceConfigRef, ref);
    }
    for (const ref of ["-b", "site/../x", "site 2023.1", "site/", "site/2023.1.lock", "a:b"]) {
      assert.throws(() => parseStackConfig("s", raw({ sourceConfigRef: ref }), ROOT, RECORD), {
        message: `stack "s": kayobe-upgrade:sourceConfigRef: expected a git branch, tag or commit of the kayobe-config checkout, such as site/2023.1 (got "${ref}")`,
      });
    }
  });

  it("reads the upgrade's options", () => {
    const config = parseStackConfig(
      "production",
      raw({ stage: "production", rabbitmqUpgradeWait: "300", hypervisorBatchSize: "4", vipHost: "ctl-02", overcloudImageRegexes: '["ironic-","nova-api"]', serviceUpgradeTags: "config", serviceUpgradeKollaTags: "keystone,nova", parallelPhases: "true" }),
      ROOT,
      RECORD,
    );
    assert.deepStrictEqual(
      [config.stage, config.rabbitmqUpgradeWait, config.hypervisorBatchSize, config.vipHost, config.overcloudImageRegexes, config.serviceUpgradeTags, config.serviceUpgradeKollaTags, config.parallelPhases],
      ["production", 300, 4, "ctl-02", ["ironic-", "nova-api"], "config", "keystone,nova", true],
    );
    assert.deepStrictEqual(
      parseStackConfig("s", raw({ hostHealthChecks: '{"mariadb":false,"containers":["scripts/podman-healthy.sh"],"alerts":["scripts/no-firing-alerts.sh"]}', hostHealthAttempts: "10", hostHealthInterval: "0", rebootWithoutAnswer: '{"ctl-02":"reboot","ctl-03":"no reboot"}' }), ROOT, RECORD).hostSafety,
      {
        healthChecks: { mariadb: false, containers: ["scripts/podman-healthy.sh"], alerts: ["scripts/no-firing-alerts.sh"] },
        healthAttempts: 10,
        healthIntervalSeconds: 0,
        rebootWithoutAnswer: { "ctl-02": "reboot", "ctl-03": "no reboot" },
      },
    );
    assert.deepStrictEqual(parseStackConfig("s", raw({ doneByHand: '{"rabbitmq-slurp-upgrade":"upgraded by hand to 3.13 on 2026-11-20, change 4711"}' }), ROOT, RECORD).doneByHand, {
      "rabbitmq-slurp-upgrade": "upgraded by hand to 3.13 on 2026-11-20, change 4711",
    });
    const reviews = parseStackConfig("s", raw({ reviewGates: "false", approvals: '{"overcloud-service-upgrade":"sha256:0123456789abcdef"}' }), ROOT, RECORD);
    assert.deepStrictEqual([reviews.reviewGates, reviews.approvals], [false, { "overcloud-service-upgrade": "sha256:0123456789abcdef" }]);
    assert.deepStrictEqual(parseStackConfig("s", raw({ seedSshHost: "10.0.0.5", seedSshPrivateKey: "KEY" }, SECRET_KEY), ROOT, RECORD).seedSsh, {
      user: "stack",
      host: "10.0.0.5",
      port: 22,
      knownHosts: "/srv/kayobe-upgrade/.kayobe-upgrade/s/known_hosts",
    });
    assert.deepStrictEqual(
      parseStackConfig("s", raw({ smokeTests: '{"Upgrading the Overcloud":[["openstack","server","list"],["tools/smoke.sh"]]}' }), ROOT, RECORD).smokeTests,
      { "Upgrading the Overcloud": [["openstack", "server", "list"], ["tools/smoke.sh"]] },
    );
  });

  it("reads a maintenance window, a milestone timeout and secret environment", () => {
    const config = parseStackConfig("prod", raw({ maintenanceWindow: "2026-11-28T20:00Z/2026-11-29T02:00Z", milestoneTimeout: "90m", kayobeSecretEnv: '{"OS_PASSWORD":"s3cret"}' }, SECRET_ENV), ROOT, RECORD);
    assert.deepStrictEqual(config.maintenanceWindow, { state: "scheduled", start: "2026-11-28T20:00:00.000Z", end: "2026-11-29T02:00:00.000Z" });
    assert.strictEqual(config.milestoneTimeoutSeconds, 5400);
    assert.deepStrictEqual(config.kayobeSecretEnv, { OS_PASSWORD: "s3cret" });
    assert.deepStrictEqual(parseStackConfig("prod", raw({ maintenanceWindow: "open" }), ROOT, RECORD).maintenanceWindow, { state: "open" });
    // An offset is the operator's local time, the same on every control host whatever its TZ.
    assert.deepStrictEqual(parseStackConfig("prod", raw({ maintenanceWindow: "2026-11-28T21:00:00+01:00/2026-11-29T03:30+0100" }), ROOT, RECORD).maintenanceWindow, {
      state: "scheduled",
      start: "2026-11-28T20:00:00.000Z",
      end: "2026-11-29T02:30:00.000Z",
    });
  });

  it("reads the checks and backups around the upgrade, and finds pip next to kayobe or in the given virtualenv", () => {
    const config = parseStackConfig(
      "staging",
      raw({
        kayobeBin: "/opt/venvs/kayobe/bin/kayobe",
        allowDirtyKayobeConfig: "true",
        databaseBackups: '["after-preparation"]',
        prerequisiteChecks: '{"test-suites":["tools/tempest.sh","--smoke"],"hypervisor-capacity":false}',
        acknowledgedChanges: '["rabbitmq-quorum-queues"]',
      }),
      ROOT,
      RECORD,
    );
    assert.deepStrictEqual(config.safety, {
      allowDirtyKayobeConfig: true,
      databaseBackups: ["after-preparation"],
      kayobePip: "/opt/venvs/kayobe/bin/pip",
      prerequisiteChecks: { "test-suites": ["tools/tempest.sh", "--smoke"], "hypervisor-capacity": false },
      acknowledgedChanges: ["rabbitmq-quorum-queues"],
    });
    assert.strictEqual(parseStackConfig("s", raw({ kayobeVenv: "venvs/kayobe" }), ROOT, RECORD).safety.kayobePip, "/srv/kayobe-upgrade/venvs/kayobe/bin/pip");
  });

  const refusals: [string, RawSettings, string][] = [
    ["a missing target release", raw({ targetRelease: undefined }), 'stack "prod": kayobe-upgrade:targetRelease: is not set; expected an OpenStack release series such as 2024.1 (pulumi config set kayobe-upgrade:targetRelease ... --stack prod)'],
    ["an unknown release", raw({ targetRelease: "2024.2" }), 'stack "prod": kayobe-upgrade:targetRelease: expected one of 2023.1, 2024.1, 2025.1 (got "2024.2")'],
    ["a missing kayobe-config", raw({ kayobeConfigPath: "" }), 'stack "prod": kayobe-upgrade:kayobeConfigPath: is not set; expected the etc/kayobe folder of a kayobe-config checkout (pulumi config set kayobe-upgrade:kayobeConfigPath ... --stack prod)'],
    ["a malformed environment", raw({ environment: "../etc" }), 'stack "prod": kayobe-upgrade:environment: expected the name of a folder under etc/kayobe/environments (got "../etc")'],
    ["a missing vault password", raw({ vaultPassword: undefined }), 'stack "prod": kayobe-upgrade:vaultPassword: is not set; expected the Ansible Vault password as a secret (pulumi config set --secret kayobe-upgrade:vaultPassword --stack prod)'],
    ["a vault password in plaintext", raw({ vaultPassword: "hunter2" }, []), 'stack "prod": kayobe-upgrade:vaultPassword: is stored in plaintext; expected a secret (bin/pulumi config set --secret kayobe-upgrade:vaultPassword --stack prod)'],
    ["kayobeEnv that is not JSON", raw({ kayobeEnv: "KOLLA_VENV_PATH=/x" }), 'stack "prod": kayobe-upgrade:kayobeEnv: expected a map of environment variable names to strings (got "KOLLA_VENV_PATH=/x")'],
    ["kayobeEnv as a list", raw({ kayobeEnv: '["a"]' }), 'stack "prod": kayobe-upgrade:kayobeEnv: expected a map of environment variable names to strings (got ["a"])'],
    ["kayobeEnv with a number", raw({ kayobeEnv: '{"ANSIBLE_SERIAL":1}' }), 'stack "prod": kayobe-upgrade:kayobeEnv: expected a string value for ANSIBLE_SERIAL (got 1)'],
    ["kayobeEnv with a bad name", raw({ kayobeEnv: '{"1X":"y"}' }), 'stack "prod": kayobe-upgrade:kayobeEnv: "1X" is not an environment variable name'],
    ["kayobeEnv setting the vault password", raw({ kayobeEnv: '{"KAYOBE_VAULT_PASSWORD":"x"}' }), 'stack "prod": kayobe-upgrade:kayobeEnv: KAYOBE_VAULT_PASSWORD is set from its own key (kayobeConfigPath, environment, vaultPassword), not here'],
    ["an unknown stage", raw({ stage: "prod" }), 'stack "prod": kayobe-upgrade:stage: expected staging or production (got "prod")'],
    ["a destroy confirmed with another stack's name", raw({ forgetCompletedSteps: "staging" }), 'stack "prod": kayobe-upgrade:forgetCompletedSteps: expected this stack\'s own name, "prod", to let bin/pulumi destroy forget its completed steps (got "staging")'],
    ["a negative wait", raw({ rabbitmqUpgradeWait: "-5" }), 'stack "prod": kayobe-upgrade:rabbitmqUpgradeWait: expected a whole number from 0 to 86400 (got "-5")'],
    ["an empty batch", raw({ hypervisorBatchSize: "0" }), 'stack "prod": kayobe-upgrade:hypervisorBatchSize: expected a whole number of at least 1 (got "0")'],
    ["a host pattern as the VIP host", raw({ vipHost: "controllers[0]" }), 'stack "prod": kayobe-upgrade:vipHost: expected a host name from the inventory (got "controllers[0]")'],
    ["image regexes as one string", raw({ overcloudImageRegexes: '"nova-api"' }), 'stack "prod": kayobe-upgrade:overcloudImageRegexes: expected a list of non-empty strings (got "nova-api")'],
    ["tags with spaces", raw({ serviceUpgradeKollaTags: "keystone nova" }), 'stack "prod": kayobe-upgrade:serviceUpgradeKollaTags: expected comma-separated tags such as config or keystone,nova (got "keystone nova")'],
    ["a yes for a flag", raw({ parallelPhases: "yes" }), 'stack "prod": kayobe-upgrade:parallelPhases: expected true or false (got "yes")'],
    ["a staging stack name with a slash", raw({ staging: "org/staging" }), 'stack "prod": kayobe-upgrade:staging: expected the name of a stack of this project on the same backend (got "org/staging")'],
    ["a maintenance window that is not an interval", raw({ maintenanceWindow: "tonight" }), 'stack "prod": kayobe-upgrade:maintenanceWindow: expected closed, open, or an ISO 8601 interval with offsets such as 2026-11-28T20:00Z/2026-11-29T02:00Z (got "tonight")'],
    ["a maintenance window that ends before it starts", raw({ maintenanceWindow: "2026-11-29T02:00Z/2026-11-28T20:00Z" }), 'stack "prod": kayobe-upgrade:maintenanceWindow: expected the window to end after it starts (got "2026-11-29T02:00Z/2026-11-28T20:00Z")'],
    ["a timeout without a unit", raw({ milestoneTimeout: "90" }), 'stack "prod": kayobe-upgrade:milestoneTimeout: expected a duration such as 90m, 12h or 45s, of at most 24 days (got "90")'],
    ["secret environment in plaintext", raw({ kayobeSecretEnv: '{"OS_PASSWORD":"x"}' }), "stack \"prod\": kayobe-upgrade:kayobeSecretEnv: is stored in plaintext; expected a secret (bin/pulumi config set --secret --path 'kayobe-upgrade:kayobeSecretEnv.NAME' VALUE --stack prod)"],
    ["secret environment that is not a map, without echoing it", raw({ kayobeSecretEnv: "hunter2" }, SECRET_ENV), 'stack "prod": kayobe-upgrade:kayobeSecretEnv: expected a map of environment variable names to strings'],
    ["an unknown backup point", raw({ databaseBackups: '["before-seed"]' }), 'stack "prod": kayobe-upgrade:databaseBackups: expected points among before-prerequisites, after-prerequisites, after-preparation, before-overcloud-upgrade, before-overcloud-service-upgrade, after-overcloud-service-upgrade (got "before-seed"); before-overcloud-service-upgrade is always backed up'],
    ["an unknown prerequisite check", raw({ prerequisiteChecks: '{"tempest":["run-tempest"]}' }), 'stack "prod": kayobe-upgrade:prerequisiteChecks: "tempest" is not a prerequisite check; expected a map from hypervisor-capacity, test-suites, prometheus-alerts, opensearch-errors to a command (a list of strings, passing when it exits 0) or false to switch the check off'],
    ["a prerequisite check as a shell string", raw({ prerequisiteChecks: '{"test-suites":"run-tempest --smoke"}' }), 'stack "prod": kayobe-upgrade:prerequisiteChecks: expected a command (a non-empty list of strings) or false for test-suites (got "run-tempest --smoke")'],
    ["prerequisite checks as a list", raw({ prerequisiteChecks: '["test-suites"]' }), 'stack "prod": kayobe-upgrade:prerequisiteChecks: expected a map from hypervisor-capacity, test-suites, prometheus-alerts, opensearch-errors to a command (a list of strings, passing when it exits 0) or false to switch the check off (got ["test-suites"])'],
    ["a step done by hand without a reason", raw({ doneByHand: '{"rabbitmq-slurp-upgrade":" "}' }), 'stack "prod": kayobe-upgrade:doneByHand: expected a map of milestone names to the reason each was done by hand (got {"rabbitmq-slurp-upgrade":" "})'],
    ["steps done by hand as a list", raw({ doneByHand: '["rabbitmq-slurp-upgrade"]' }), 'stack "prod": kayobe-upgrade:doneByHand: expected a map of milestone names to the reason each was done by hand (got ["rabbitmq-slurp-upgrade"])'],
    ["an approval that is not a review's digest", raw({ approvals: '{"overcloud-service-upgrade":"yes"}' }), 'stack "prod": kayobe-upgrade:approvals: expected a map of milestone names to the review digest approved for each, as its refusal gives it (sha256: and 16 hex digits) (got {"overcloud-service-upgrade":"yes"})'],
    ["review gates set to off", raw({ reviewGates: "off" }), 'stack "prod": kayobe-upgrade:reviewGates: expected true or false (got "off")'],
    ["a yes to a dirty kayobe-config", raw({ allowDirtyKayobeConfig: "yes" }), 'stack "prod": kayobe-upgrade:allowDirtyKayobeConfig: expected true or false (got "yes")'],
    ["a seed address with a space", raw({ seedSshHost: "seed 01" }), 'stack "prod": kayobe-upgrade:seedSshHost: expected the seed\'s host name or IP address (got "seed 01")'],
    ["a port out of range", raw({ seedSshHost: "seed", seedSshPort: "70000" }), 'stack "prod": kayobe-upgrade:seedSshPort: expected a TCP port, 1 to 65535 (got "70000")'],
    ["a private key in plaintext", raw({ seedSshHost: "seed", seedSshPrivateKey: "-----BEGIN" }), 'stack "prod": kayobe-upgrade:seedSshPrivateKey: is stored in plaintext; expected a secret (bin/pulumi config set --secret kayobe-upgrade:seedSshPrivateKey --stack prod < KEY_FILE)'],
    ["a private key without a seed", raw({ seedSshPrivateKey: "KEY" }, SECRET_KEY), 'stack "prod": kayobe-upgrade:seedSshPrivateKey: is set but seedSshHost is not; expected the seed\'s address in kayobe-upgrade:seedSshHost as well'],
    ["smoke tests after an unknown phase", raw({ smokeTests: '{"Overcloud":[["true"]]}' }), `stack "prod": kayobe-upgrade:smokeTests: "Overcloud" is not a phase; ${SMOKE_EXPECTED}`],
    ["a smoke test as one string", raw({ smokeTests: '{"Upgrading the Seed":["openstack server list"]}' }), `stack "prod": kayobe-upgrade:smokeTests: the tests after "Upgrading the Seed" are not a list of commands; ${SMOKE_EXPECTED} (got ["openstack server list"])`],
    ["smoke tests as a list", raw({ smokeTests: '[["true"]]' }), `stack "prod": kayobe-upgrade:smokeTests: ${SMOKE_EXPECTED} (got [["true"]])`],
    ["switching off a check that is not built in", raw({ hostHealthChecks: '{"alerts":false}' }), `stack "prod": kayobe-upgrade:hostHealthChecks: "alerts" is not a built-in check to switch off; expected ${HEALTH_EXPECTED}`],
    ["a health check as a shell string", raw({ hostHealthChecks: '{"alerts":"check-alerts --firing"}' }), 'stack "prod": kayobe-upgrade:hostHealthChecks: expected a command (a non-empty list of strings) or false for alerts (got "check-alerts --firing")'],
    ["health checks as a list", raw({ hostHealthChecks: '["containers"]' }), `stack "prod": kayobe-upgrade:hostHealthChecks: expected ${HEALTH_EXPECTED} (got ["containers"])`],
    ["no attempt at the health checks", raw({ hostHealthAttempts: "0" }), 'stack "prod": kayobe-upgrade:hostHealthAttempts: expected a whole number from 1 to 1000 (got "0")'],
    ["an interval of hours between health checks", raw({ hostHealthInterval: "7200" }), 'stack "prod": kayobe-upgrade:hostHealthInterval: expected a whole number from 0 to 3600 (got "7200")'],
    ["a reboot decision in other words", raw({ rebootWithoutAnswer: '{"ctl-02":"yes"}' }), 'stack "prod": kayobe-upgrade:rebootWithoutAnswer: expected a map of host names to "reboot" or "no reboot" (got {"ctl-02":"yes"})'],
    // Issue 17: what used to pass.
    ["an empty vault password", raw({ vaultPassword: "" }), 'stack "prod": kayobe-upgrade:vaultPassword: is empty; expected a non-empty string (bin/pulumi config set --secret kayobe-upgrade:vaultPassword --stack prod)'],
    ["an empty private key", raw({ seedSshHost: "seed", seedSshPrivateKey: "" }, SECRET_KEY), 'stack "prod": kayobe-upgrade:seedSshPrivateKey: is empty; expected a private key (bin/pulumi config set --secret kayobe-upgrade:seedSshPrivateKey --stack prod < KEY_FILE)'],
    ["a setting that is no secret set as one", raw({ kayobeBin: "/opt/kayobe" }, ["vaultPassword", "kayobeBin"]), 'stack "prod": kayobe-upgrade:kayobeBin: is a secret, but it is no secret and is shown in plans and logs; set it in plaintext (bin/pulumi config set kayobe-upgrade:kayobeBin VALUE --stack prod)'],
    ["a window without a time zone", raw({ maintenanceWindow: "2026-11-28T20:00/2026-11-29T02:00" }), `stack "prod": kayobe-upgrade:maintenanceWindow: ${WINDOW} (got "2026-11-28T20:00/2026-11-29T02:00")`],
    ["1/2 as a window", raw({ maintenanceWindow: "1/2" }), `stack "prod": kayobe-upgrade:maintenanceWindow: ${WINDOW} (got "1/2")`],
    ["a window in Date.parse's words", raw({ maintenanceWindow: "Nov 28 2026 20:00 GMT/Nov 29 2026 02:00 GMT" }), `stack "prod": kayobe-upgrade:maintenanceWindow: ${WINDOW} (got "Nov 28 2026 20:00 GMT/Nov 29 2026 02:00 GMT")`],
    ["a window on a day that does not exist", raw({ maintenanceWindow: "2026-02-30T20:00Z/2026-03-01T02:00Z" }), `stack "prod": kayobe-upgrade:maintenanceWindow: ${WINDOW} (got "2026-02-30T20:00Z/2026-03-01T02:00Z")`],
    ["a window at hour 24", raw({ maintenanceWindow: "2026-11-28T24:00Z/2026-11-29T02:00Z" }), `stack "prod": kayobe-upgrade:maintenanceWindow: ${WINDOW} (got "2026-11-28T24:00Z/2026-11-29T02:00Z")`],
    ["a window with three ends", raw({ maintenanceWindow: "2026-11-28T20:00Z/2026-11-29T02:00Z/2026-11-29T03:00Z" }), `stack "prod": kayobe-upgrade:maintenanceWindow: ${WINDOW} (got "2026-11-28T20:00Z/2026-11-29T02:00Z/2026-11-29T03:00Z")`],
    ["a window given as a date only", raw({ maintenanceWindow: "2026-11-28/2026-11-29" }), `stack "prod": kayobe-upgrade:maintenanceWindow: ${WINDOW} (got "2026-11-28/2026-11-29")`],
    ["a timeout longer than a timer holds", raw({ milestoneTimeout: "600h" }), 'stack "prod": kayobe-upgrade:milestoneTimeout: expected a duration such as 90m, 12h or 45s, of at most 24 days (got "600h")'],
    ["a timeout in days", raw({ milestoneTimeout: "1d" }), 'stack "prod": kayobe-upgrade:milestoneTimeout: expected a duration such as 90m, 12h or 45s, of at most 24 days (got "1d")'],
    ["a fractional timeout", raw({ milestoneTimeout: "1.5h" }), 'stack "prod": kayobe-upgrade:milestoneTimeout: expected a duration such as 90m, 12h or 45s, of at most 24 days (got "1.5h")'],
    ["a zero timeout", raw({ milestoneTimeout: "0m" }), 'stack "prod": kayobe-upgrade:milestoneTimeout: expected a duration such as 90m, 12h or 45s, of at most 24 days (got "0m")'],
    ["a wait of days", raw({ rabbitmqUpgradeWait: "100000" }), 'stack "prod": kayobe-upgrade:rabbitmqUpgradeWait: expected a whole number from 0 to 86400 (got "100000")'],
    ["a batch size beyond a safe number", raw({ hypervisorBatchSize: "1e3" }), 'stack "prod": kayobe-upgrade:hypervisorBatchSize: expected a whole number of at least 1 (got "1e3")'],
    ["a tag kayobe would read as an option", raw({ serviceUpgradeTags: "-v" }), 'stack "prod": kayobe-upgrade:serviceUpgradeTags: expected comma-separated tags such as config or keystone,nova (got "-v")'],
    ["a kolla tag after a comma read as an option", raw({ serviceUpgradeKollaTags: "nova,-e" }), 'stack "prod": kayobe-upgrade:serviceUpgradeKollaTags: expected comma-separated tags such as config or keystone,nova (got "nova,-e")'],
    ["an image regex kayobe would read as --extra-vars", raw({ overcloudImageRegexes: '["-ekolla_docker_namespace=evil"]' }), 'stack "prod": kayobe-upgrade:overcloudImageRegexes: "-ekolla_docker_namespace=evil" would be read by kayobe as an option; expected regexes not starting with "-" (write [-] for a leading dash)'],
    ["a VIP host kayobe would read as an option", raw({ vipHost: "-e" }), 'stack "prod": kayobe-upgrade:vipHost: expected a host name from the inventory (got "-e")'],
    ["a seed user ssh would read as an option", raw({ seedSshHost: "seed", seedSshUser: "-oProxyCommand=x" }), 'stack "prod": kayobe-upgrade:seedSshUser: expected a user name such as stack (got "-oProxyCommand=x")'],
    ["a seed address ssh would read as an option", raw({ seedSshHost: "-oProxyCommand=x" }), 'stack "prod": kayobe-upgrade:seedSshHost: expected the seed\'s host name or IP address (got "-oProxyCommand=x")'],
  ];
  for (const [what, input, message] of refusals) {
    it(`refuses ${what}, naming the stack and the key`, () => {
      assert.throws(() => parseStackConfig("prod", input, ROOT, RECORD), { name: "ConfigError", message });
    });
  }
});
