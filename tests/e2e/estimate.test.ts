import * as assert from "assert";
import * as fs from "fs";
import type { StepEvent } from "../../resources/executor/step-record";
import type { StackStatus } from "../../resources/report/status";
import { Workspace } from "./workspace";

// Known durations: the simulator sleeps 3 s in the long steps of a real upgrade, so that they, not the
// simulator's own start-up under the machine's varying load, make most of the time.
const DURATIONS = { KAYOBE_SIM_SLEEP: "3", KAYOBE_SIM_SLEEP_MATCH: "host package update|service upgrade|container image pull|pulp-(repo|container)-sync|host upgrade$" };

describe("the estimate of production's run, from staging's, against the run itself", function () {
  const ws = new Workspace();

  it("estimates production's pending steps within 10% of the time its run takes", () => {
    ws.stack("staging");
    ws.pulumi(["up", "--yes", "--stack", "staging"], { env: DURATIONS });
    ws.stack("production");
    const { stdout } = ws.pulumi(["preview", "--stack", "production"]);
    const said = /estimate: (\d+) steps pending, estimated (.+?), of which (.+?) inside the maintenance window \(API outage\)(?:; (\d+) with no record, counted at the median step)?, from this stack's record and staging stack "staging"'s/.exec(stdout);
    assert.ok(said, stdout);
    const status = JSON.parse(ws.status(["production", "--json"]).stdout) as StackStatus;
    assert.strictEqual(Number(said[1]), status.total);
    ws.pulumi(["up", "--yes", "--stack", "production"], { env: DURATIONS });
    const events = fs
      .readFileSync(ws.file(".kayobe-upgrade/logs/production/steps.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as StepEvent);
    // The run's time: from its first step's start to its last step's end.
    const actual = (Date.parse(events[events.length - 1].at) - Date.parse(events[0].at)) / 1000;
    const estimated = status.remaining.seconds;
    const error = Math.abs(estimated - actual) / actual;
    console.log(`      estimated ${estimated.toFixed(1)} s (${status.remaining.unknown.length} steps with no record: ${status.remaining.unknown.join(", ")}), took ${actual.toFixed(1)} s: ${(error * 100).toFixed(1)}% off`);
    assert.ok(error < 0.1, `estimated ${estimated} s, took ${actual} s`);
  });
});
