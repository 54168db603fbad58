import * as assert from "assert";
import { describeEstimate, estimatePending, recordedDurations } from "../../resources/report/estimate";
import { recordedMilestones } from "../../resources/report/state";
import type { Risk } from "../../resources/runbook/phases";
import type { Milestone } from "../../resources/runbook/plan";

const milestone = (name: string, risk: Risk = "safe"): Milestone => ({ name, phase: "Upgrading the Overcloud", side: "target", title: name, commands: [], risk, drivenBy: [], dependsOn: [], fingerprint: "f" });
const resource = (name: string, outputs: Record<string, unknown>) => ({ type: "pulumi-nodejs:dynamic/kayobe-upgrade:Milestone", urn: `urn:pulumi:staging::kayobe-upgrade::kayobe-upgrade:runbook:Phase$pulumi-nodejs:dynamic/kayobe-upgrade:Milestone::${name}`, outputs });

describe("duration estimates", () => {
  it("reads each completed step's duration from the state, older records by their first command", () => {
    const exported = JSON.stringify({
      deployment: {
        resources: [
          { type: "pulumi:pulumi:Stack", urn: "urn:pulumi:staging::kayobe-upgrade::pulumi:pulumi:Stack::kayobe-upgrade-staging" },
          resource("pulp-repo-sync", { startedAt: "2026-11-28T20:00:00.000Z", completedAt: "2026-11-28T20:03:10.000Z" }),
          resource("control-host-upgrade", { commandsRun: [{ startedAt: "2026-11-28T20:04:00.000Z" }], completedAt: "2026-11-28T20:04:30.500Z" }),
          resource("rabbitmq-slurp-upgrade", { commandsRun: [], completedAt: "2026-11-28T20:05:00.000Z", doneByHand: "by hand" }),
        ],
      },
    });
    assert.deepStrictEqual([...recordedDurations(recordedMilestones(exported))], [
      ["pulp-repo-sync", 190],
      ["control-host-upgrade", 30.5],
    ]);
    assert.deepStrictEqual([...recordedDurations(recordedMilestones(undefined))], []);
  });

  it("takes the stack's own record first, then staging's, a host step from the step's other hosts, the rest (a promotion too) at the median", () => {
    const own = new Map([["overcloud-service-upgrade", 900]]);
    const staging = new Map([
      ["overcloud-service-upgrade", 600],
      ["overcloud-host-package-update-stg-ctl-01", 100],
      ["overcloud-host-package-update-stg-cmp-01", 140],
      ["pulp-repo-sync", 30],
    ]);
    const pending = [milestone("overcloud-service-upgrade", "outage"), milestone("overcloud-host-package-update-prd-cmp-01+prd-cmp-02", "outage"), milestone("pulp-repo-sync"), milestone("pulp-repo-promote-production")];
    const estimate = estimatePending(pending, own, staging);
    assert.deepStrictEqual(estimate, {
      seconds: 900 + 120 + 30 + 140,
      outageSeconds: 900 + 120,
      steps: { "overcloud-service-upgrade": 900, "overcloud-host-package-update-prd-cmp-01+prd-cmp-02": 120, "pulp-repo-sync": 30, "pulp-repo-promote-production": 140 },
      unknown: ["pulp-repo-promote-production"],
    });
    assert.strictEqual(describeEstimate(4, estimate), "4 steps pending, estimated 19m 50s, of which 17m 00s inside the maintenance window (API outage); 1 with no record, counted at the median step");
    assert.strictEqual(describeEstimate(0, estimatePending([], own)), "nothing pending");
  });
});
