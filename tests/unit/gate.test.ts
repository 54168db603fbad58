import * as assert from "assert";
import { gateFor, Progress, stepOf } from "../../resources/promotion/gate";
import { Milestone } from "../../resources/runbook/plan";

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

  it("does not hold back the preflight, which checks production's own plan", () => {
    assert.deepStrictEqual(gateFor(milestone("preflight", "production-plan"), "2024.1", staging({ preflight: done("preflight", "staging-plan") })), { staging: "staging", satisfied: true, missing: [] });
  });

  it("names the step when staging never ran it, and carries an override", () => {
    assert.deepStrictEqual(gateFor(milestone("pulp-repo-promote-production"), "2024.1", staging({}), "CVE hotfix"), { staging: "staging", satisfied: false, missing: ["pulp-repo-sync"], override: "CVE hotfix" });
  });
});
