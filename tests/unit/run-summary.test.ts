import * as assert from "assert";
import type { StepEvent } from "../../resources/executor/step-record";
import { summariseRun } from "../../resources/report/run-summary";

const at = "2026-11-28T20:00:00.000Z";
const step = (milestone: string, position: string, phase: string) => ({ milestone, position, phase, at, log: `/srv/logs/site/${milestone}.log` });

describe("the end of a run", () => {
  it("sums up what ran by phase, what failed with its reason and log, and where the logs are", () => {
    const events: StepEvent[] = [
      { ...step("preflight", "1/5", "Prerequisites"), event: "start", pid: 1 },
      { ...step("preflight", "1/5", "Prerequisites"), event: "done", seconds: 2 },
      { ...step("pulp-repo-sync", "2/5", "Preparation"), event: "start", pid: 1 },
      { ...step("pulp-repo-sync", "2/5", "Preparation"), event: "done", seconds: 190 },
      { ...step("overcloud-service-upgrade", "3/5", "Upgrading the Overcloud"), event: "start", pid: 1 },
      { ...step("overcloud-service-upgrade", "3/5", "Upgrading the Overcloud"), event: "failed", seconds: 65, error: "kayobe overcloud service upgrade: exited with code 2" },
    ];
    assert.deepStrictEqual(summariseRun(events), [
      "kayobe-upgrade: 2 steps done, 1 failed in this run",
      "  Prerequisites: 1 done, 2s",
      "  Preparation: 1 done, 3m 10s",
      "  FAILED [3/5] overcloud-service-upgrade after 1m 05s",
      "    kayobe overcloud service upgrade: exited with code 2",
      "    log /srv/logs/site/overcloud-service-upgrade.log",
      "  logs /srv/logs/site",
    ]);
  });

  it("names a step that started and never ended, and says when nothing ran", () => {
    assert.deepStrictEqual(summariseRun([{ ...step("seed-service-upgrade", "4/5", "Upgrading the Seed"), event: "start", pid: 1 }]), [
      "kayobe-upgrade: 0 steps done, 1 unfinished in this run",
      "  UNFINISHED [4/5] seed-service-upgrade",
      "    log /srv/logs/site/seed-service-upgrade.log",
      "  logs /srv/logs/site",
    ]);
    assert.deepStrictEqual(summariseRun([]), ["kayobe-upgrade: no step ran"]);
  });

  it("names a step not started with its whole reason, the approving command included", () => {
    const events: StepEvent[] = [
      { ...step("seed-host-configure-check", "18/48", "Upgrading the Seed"), event: "start", pid: 1 },
      { ...step("seed-host-configure-check", "18/48", "Upgrading the Seed"), event: "done", seconds: 40 },
    ];
    const reason = "seed-host-configure: seed-host-configure-check shows changes to 2 tasks on 1 host (sha256:87e8864a489592d4). Review them in /srv/reviews/seed-host-configure-check.diff, then approve them with\n    bin/pulumi config set --path 'kayobe-upgrade:approvals[\"seed-host-configure\"]' sha256:87e8864a489592d4 --stack site";
    assert.deepStrictEqual(summariseRun(events, [{ milestone: "seed-host-configure", position: "19/48", reason }]), [
      "kayobe-upgrade: 1 steps done, 1 not started in this run",
      "  Upgrading the Seed: 1 done, 40s",
      "  NOT STARTED [19/48] seed-host-configure",
      "    seed-host-configure: seed-host-configure-check shows changes to 2 tasks on ",
      "        1 host (sha256:87e8864a489592d4). Review them in /srv/reviews/",
      "        seed-host-configure-check.diff, then approve them with",
      `    bin/pulumi config set --path 'kayobe-upgrade:approvals["seed-host-configure"]' sha256:87e8864a489592d4 --stack site`,
      "  logs /srv/logs/site",
    ]);
  });
});
