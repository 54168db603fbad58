import * as assert from "assert";
import type { StepEvent } from "../../resources/executor/step-record";
import type { Milestone } from "../../resources/runbook/plan";
import type { Phase, Risk } from "../../resources/runbook/phases";
import type { MilestoneStatus } from "../../resources/report/state";
import { estimatePending } from "../../resources/report/estimate";
import { renderStatus, stackStatus } from "../../resources/report/status";

const milestone = (name: string, phase: Phase, risk: Risk = "safe"): Milestone => ({ name, phase, side: "target", title: `the ${name} step`, commands: [], risk, drivenBy: [], dependsOn: [], fingerprint: "f" });
const PLAN = [
  milestone("preflight", "Prerequisites"),
  milestone("pulp-repo-sync", "Preparation"),
  milestone("control-host-upgrade", "Preparation"),
  milestone("overcloud-service-upgrade", "Upgrading the Overcloud", "outage"),
  milestone("overcloud-post-upgrade", "Upgrading the Overcloud"),
];
const DONE: MilestoneStatus = { state: "done", completedAt: "2026-11-28T20:01:00.000Z", log: "/logs/x.log" };
const event = (milestone: string, rest: Partial<StepEvent> & Pick<StepEvent, "event">): StepEvent =>
  ({ milestone, position: "?", phase: "?", at: "2026-11-28T20:05:00.000Z", log: `/logs/${milestone}.log`, ...rest }) as StepEvent;

// This stack ran the service upgrade before; staging's record has the rest.
const estimate = (pending: Milestone[]) => estimatePending(pending, new Map([["overcloud-service-upgrade", 600]]), new Map([["overcloud-post-upgrade", 30]]));

describe("the status of a stack", () => {
  const statuses = new Map<string, MilestoneStatus>([
    ["preflight", DONE],
    ["pulp-repo-sync", DONE],
    ["control-host-upgrade", DONE],
  ]);

  it("after a failed run: the failed step with its reason and log, each phase in the runbook's order", () => {
    const events = [event("overcloud-service-upgrade", { event: "start", pid: 41 }), event("overcloud-service-upgrade", { event: "failed", seconds: 3, error: "kayobe overcloud service upgrade: exited with code 2" })];
    const status = stackStatus("staging", "2024.1", PLAN, statuses, events, () => false, estimate);
    assert.deepStrictEqual([status.done, status.total], [3, 5]);
    assert.deepStrictEqual(status.current, {
      name: "overcloud-service-upgrade",
      phase: "Upgrading the Overcloud",
      title: "the overcloud-service-upgrade step",
      risk: "outage",
      position: "4/5",
      state: "failed",
      at: "2026-11-28T20:05:00.000Z",
      log: "/logs/overcloud-service-upgrade.log",
      error: "kayobe overcloud service upgrade: exited with code 2",
    });
    assert.deepStrictEqual(renderStatus(status, new Date()), [
      "staging: 3 of 5 steps done, upgrading to 2024.1",
      "2 steps pending, estimated 10m 30s, of which 10m 00s inside the maintenance ",
      "    window (API outage)",
      "FAILED [4/5] overcloud-service-upgrade: the overcloud-service-upgrade step",
      "  kayobe overcloud service upgrade: exited with code 2",
      "  at 2026-11-28T20:05:00.000Z",
      "  log /logs/overcloud-service-upgrade.log",
      "  causes an API outage: runs inside the maintenance window",
      "phases, in the runbook's order:",
      "  done        Prerequisites             1/1",
      "  done        Preparation               2/2",
      "  failed      Upgrading the Overcloud   0/2",
    ]);
  });

  it("a step started and not ended: running while its process lives, interrupted after", () => {
    const events = [event("overcloud-service-upgrade", { event: "start", pid: 41 })];
    const running = stackStatus("staging", "2024.1", PLAN, statuses, events, (pid) => pid === 41, estimate);
    assert.strictEqual(running.current?.state, "running");
    assert.strictEqual(renderStatus(running, new Date("2026-11-28T20:07:30.000Z"))[4], "  running for 2m 30s");
    assert.strictEqual(stackStatus("staging", "2024.1", PLAN, statuses, events, () => false, estimate).current?.state, "interrupted");
  });

  it("believes the state over an old failure: a step failed, then done, is done; the next pending is current", () => {
    const events = [event("pulp-repo-sync", { event: "failed", seconds: 1, error: "boom" })];
    const status = stackStatus("staging", "2024.1", PLAN, statuses, events, () => false, estimate);
    assert.strictEqual(status.steps[1].state, "done");
    assert.deepStrictEqual([status.current?.name, status.current?.state], ["overcloud-service-upgrade", "pending"]);
    assert.deepStrictEqual(status.phases.map((p) => p.state), ["done", "done", "pending"]);
  });
});
