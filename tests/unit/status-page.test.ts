import * as assert from "assert";
import type { Milestone } from "../../resources/runbook/plan";
import type { Phase, Risk } from "../../resources/runbook/phases";
import { estimatePending } from "../../resources/report/estimate";
import type { MilestoneStatus } from "../../resources/report/state";
import { stackStatus } from "../../resources/report/status";
import { renderStatusPage } from "../../resources/report/status-page";

const milestone = (name: string, phase: Phase, commands: string[][], risk: Risk = "safe"): Milestone => ({ name, phase, side: "target", title: `the ${name} step`, commands, risk, drivenBy: [], dependsOn: [], fingerprint: "f" });
const PLAN = [
  milestone("pulp-repo-sync", "Preparation", [["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/pulp-repo-sync.yml"]]),
  milestone("overcloud-service-upgrade", "Upgrading the Overcloud", [["kayobe", "overcloud", "service", "upgrade"]], "outage"),
  milestone("overcloud-post-upgrade", "Upgrading the Overcloud", [["kayobe", "overcloud", "post", "configure"]]),
];

describe("the status page", () => {
  const statuses = new Map<string, MilestoneStatus>([["pulp-repo-sync", { state: "done", completedAt: "2026-11-28T20:01:00.000Z", log: "/logs/pulp-repo-sync.log" }]]);
  const failed = { milestone: "overcloud-service-upgrade", position: "2/3", phase: "Upgrading the Overcloud", at: "2026-11-28T20:05:00.000Z", log: "/logs/o <&> u.log", event: "failed" as const, seconds: 3, error: "kayobe overcloud service upgrade: exited with code 2" };
  const status = stackStatus("staging", "2024.1", PLAN, statuses, [failed], () => false, (pending) => estimatePending(pending, new Map([["overcloud-service-upgrade", 600], ["overcloud-post-upgrade", 60]])));
  const page = renderStatusPage(status, PLAN, "2026-11-28T20:05:01.000Z");

  it("is one self-contained file: no script, stylesheet, image or font from elsewhere", () => {
    assert.ok(page.startsWith("<!DOCTYPE html>\n"));
    assert.doesNotMatch(page, /<script|<link|src=|@import|url\(/);
  });

  it("shows the headline with the estimate, the failed step with its reason and log, each phase's progress", () => {
    assert.match(page, /<p id="headline">1 of 3 steps done\. 2 steps pending, estimated 11m 00s, of which 10m 00s inside the maintenance window \(API outage\)\.<\/p>/);
    assert.match(page, /<p id="current"><span class="failed">failed<\/span> \[2\/3\] overcloud-service-upgrade: kayobe overcloud service upgrade: exited with code 2 \(log <a class="log" href="file:\/\/\/logs\/o &lt;&amp;&gt; u\.log">o &lt;&amp;&gt; u\.log<\/a>\)<\/p>/);
    assert.match(page, /<tr data-phase="Preparation"><td>Preparation<\/td><td class="done">done<\/td><td>1\/1<\/td><td><span class="bar"><span style="width:100%"><\/span><\/span><\/td><\/tr>/);
    assert.match(page, /<tr data-phase="Upgrading the Overcloud"><td>Upgrading the Overcloud<\/td><td class="failed">failed<\/td><td>0\/2<\/td><td><span class="bar"><span style="width:0%"><\/span><\/span><\/td><\/tr>/);
  });

  it("colours the graph by state and lists every step with its estimate, commands and log", () => {
    assert.match(page, /<g class="milestone done" data-name="pulp-repo-sync">/);
    assert.match(page, /<g class="milestone failed" data-name="overcloud-service-upgrade">[^\n]*fill="#ffcdd2"/);
    assert.match(page, /<g class="milestone pending" data-name="overcloud-post-upgrade">/);
    assert.match(page, /<tr data-step="overcloud-post-upgrade"><td>3\/3<\/td>.*<td class="pending">pending<\/td><td>1m 00s<\/td><td><code>kayobe overcloud post configure<\/code><\/td><td><\/td><\/tr>/);
    assert.match(page, /<tr data-step="pulp-repo-sync">.*<code>kayobe playbook run \$KAYOBE_CONFIG_PATH\/ansible\/pulp-repo-sync\.yml<\/code><\/td><td><a class="log" href="file:\/\/\/logs\/pulp-repo-sync\.log">pulp-repo-sync\.log<\/a><\/td><\/tr>/);
  });
});
