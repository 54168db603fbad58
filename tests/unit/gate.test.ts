import * as assert from "assert";
import { gateFor, Progress, stepOf } from "../../resources/promotion/gate";
import type { SettingName } from "../../resources/config/settings";
import { StackConfig } from "../../resources/config/stack-config";
import { canonicalJson, Milestone, planUpgrade } from "../../resources/runbook/plan";
import { evaluate, stagingConfig } from "./fixtures";

function milestone(name: string, fingerprint = "f1"): Milestone {
  return { name, phase: "Preparation", side: "target", title: name, commands: [], risk: "safe", drivenBy: [], dependsOn: [], fingerprint };
}

function done(step: string, fingerprint = "f1", release = "2024.1"): Progress[string] {
  return { phase: "Preparation", step, release, fingerprint, completedAt: "2026-11-26T12:00:00.000Z" };
}

describe("promotion gate", () => {
  const staging = (progress: Progress) => ({ name: "staging", progress });

  it("matches hosts of one environment to the same step in the other", () => {
    assert.strictEqual(stepOf("overcloud-host-package-update-prd-cmp-01+prd-cmp-02"), "overcloud-host-package-update");
    assert.strictEqual(stepOf("pulp-repo-promote-production"), "pulp-repo-sync");
    assert.strictEqual(stepOf("overcloud-host-upgrade"), "overcloud-host-upgrade");
  });

  it("lets production go where staging completed the step at the same release and fingerprint", () => {
    const gate = gateFor(milestone("overcloud-host-package-update-prd-cmp-01"), "2024.1", staging({ "overcloud-host-package-update-stg-cmp-01": done("overcloud-host-package-update"), "overcloud-host-package-update-stg-cmp-02": done("overcloud-host-package-update") }));
    assert.deepStrictEqual(gate, { staging: "staging", satisfied: true, missing: [] });
  });

  it("names the staging milestones that are behind: another fingerprint, another release", () => {
    const gate = gateFor(
      milestone("overcloud-host-package-update-prd-cmp-01"),
      "2024.1",
      staging({
        "overcloud-host-package-update-stg-cmp-01": done("overcloud-host-package-update"),
        "overcloud-host-package-update-stg-cmp-02": done("overcloud-host-package-update", "f0"),
        "overcloud-host-package-update-stg-cmp-03": done("overcloud-host-package-update", "f1", "2023.1"),
      }),
    );
    assert.deepStrictEqual(gate, { staging: "staging", satisfied: false, missing: ["overcloud-host-package-update-stg-cmp-02", "overcloud-host-package-update-stg-cmp-03"] });
  });

  it("names the settings production would run a step with that staging did not: it builds no image staging did not build", () => {
    const build = { ...milestone("overcloud-container-image-build", "f2"), settings: { overcloudImageRegexes: [] } };
    const ran = { ...done("overcloud-container-image-build"), settings: { overcloudImageRegexes: ["ironic-", "nova-api"] } };
    assert.deepStrictEqual(gateFor(build, "2024.1", staging({ "overcloud-container-image-build": ran })), {
      staging: "staging",
      satisfied: false,
      missing: ["overcloud-container-image-build"],
      differs: ['kayobe-upgrade:overcloudImageRegexes is ["ironic-","nova-api"] on staging, [] here'],
    });
    // Staging's record from before steps kept their settings: behind, with nothing to name.
    assert.deepStrictEqual(gateFor(build, "2024.1", staging({ "overcloud-container-image-build": done("overcloud-container-image-build") })).differs, undefined);
  });

  it("counts a step's settings in its fingerprint, and only that step's", () => {
    const config = stagingConfig({ overcloudImageRegexes: ["ironic-"] });
    const fingerprints = (regexes: string[], tags?: string) => new Map(planUpgrade({ ...config, overcloudImageRegexes: regexes, serviceUpgradeTags: tags }, evaluate(config)).map((m) => [m.name, m.fingerprint]));
    const [base, regexes, tags] = [fingerprints(["ironic-"]), fingerprints(["ironic-", "nova-api"]), fingerprints(["ironic-"], "config")];
    const changed = (other: Map<string, string>) => [...base.keys()].filter((name) => base.get(name) !== other.get(name));
    assert.deepStrictEqual([changed(regexes), changed(tags)], [["overcloud-container-image-build"], ["overcloud-service-upgrade"]]);
    // Unset, they count for nothing: a stack that sets none keeps the fingerprints it recorded before they counted.
    const none = fingerprints([]);
    assert.deepStrictEqual(new Set(["overcloud-container-image-build", "overcloud-service-upgrade"].map((name) => none.get(name))), new Set([none.get("pulp-container-sync")]));
  });

  it("counts every setting that changes a step's commands in its fingerprint, but those each environment has its own", () => {
    const base = stagingConfig({ overcloudImageRegexes: ["ironic-"], smokeTests: { "Upgrading the Overcloud": [["openstack", "server", "list"]] }, seedSsh: { user: "stack", host: "seed-1", port: 22, knownHosts: "/k" } });
    const safety = (change: Partial<StackConfig["safety"]>) => ({ safety: { ...base.safety, prerequisiteChecks: { "test-suites": ["tempest"] }, ...change } });
    const kayobe = evaluate(base);
    const variants: [SettingName, Partial<StackConfig>][] = [
      ["overcloudImageRegexes", { overcloudImageRegexes: ["nova-"] }],
      ["serviceUpgradeTags", { serviceUpgradeTags: "config" }],
      ["serviceUpgradeKollaTags", { serviceUpgradeKollaTags: "nova" }],
      ["hypervisorBatchSize", { hypervisorBatchSize: 2 }],
      ["vipHost", { vipHost: "stg-ctl-01" }],
      ["rabbitmqUpgradeWait", { rabbitmqUpgradeWait: 5 }],
      ["baremetalBin", { baremetalBin: "/opt/ironic/bin/baremetal" }],
      ["smokeTests", { smokeTests: { "Upgrading the Overcloud": [["openstack", "volume", "list"]] } }],
      ["prerequisiteChecks", safety({ prerequisiteChecks: { "test-suites": ["rally"] } })],
      ["kayobeVenv", safety({ kayobePip: "/opt/other-venv/bin/pip" })],
      ["seedSshHost", { seedSsh: { ...base.seedSsh!, host: "seed-2" } }],
    ];
    const planOf = (change: Partial<StackConfig>) => new Map(planUpgrade({ ...base, ...safety({}), ...change }, kayobe).map((m) => [m.name, m]));
    const before = planOf({});
    const unfingerprinted = variants.filter(([, change]) =>
      [...planOf(change).values()].some((m) => before.has(m.name) && canonicalJson(m.commands) !== canonicalJson(before.get(m.name)!.commands) && m.fingerprint === before.get(m.name)!.fingerprint),
    );
    // Batches and the VIP holder change which host milestones there are and their order,
    // not a step's commands. Left out: paths on the control host, how long to wait, checks
    // of the environment itself, its seed's address: each environment's own, which staging cannot prove.
    assert.deepStrictEqual(unfingerprinted.map(([key]) => key), ["rabbitmqUpgradeWait", "baremetalBin", "smokeTests", "prerequisiteChecks", "kayobeVenv", "seedSshHost"]);
  });

  it("does not hold back the preflight, which checks production's own plan", () => {
    assert.deepStrictEqual(gateFor(milestone("preflight", "production-plan"), "2024.1", staging({ preflight: done("preflight", "staging-plan") })), { staging: "staging", satisfied: true, missing: [] });
  });

  it("names the step when staging never ran it, and carries an override", () => {
    assert.deepStrictEqual(gateFor(milestone("pulp-repo-promote-production"), "2024.1", staging({}), "CVE hotfix"), { staging: "staging", satisfied: false, missing: ["pulp-repo-sync"], override: "CVE hotfix" });
  });
});
