// The runbook's own flow on the real engine: the Prerequisites on the old release from
// the checkout still at 2023.1, then, once the 2024.1 configuration is merged, the rest.
import * as assert from "assert";
import * as fs from "fs";
import { expectedCalls, planOf } from "./expected-calls";
import { Workspace } from "./workspace";

describe("two steps, as the runbook has them: the Prerequisites from the 2023.1 checkout, the rest after the merge", function () {
  const ws = new Workspace();
  const stack = "twostep";
  const plan = planOf(ws.root);
  const sourceSide = plan.filter((m) => m.side !== "target");
  const targetSide = plan.filter((m) => m.side === "target");
  const states = () => JSON.parse(ws.exportState(stack)).deployment.resources.filter((r: { type: string }) => r.type.endsWith(":Milestone")).map((r: { urn: string }) => r.urn.split("::").pop());

  before(() => {
    // The shipped staging stack, without a source-release ref: the checkout itself is still at 2023.1.
    const settings = fs.readFileSync(ws.file("Pulumi.staging.yaml"), "utf8").replace("  kayobe-upgrade:sourceConfigRef: site/2023.1\n", "").replace(".kayobe-upgrade/staging/", `.kayobe-upgrade/${stack}/`);
    fs.writeFileSync(ws.file(`Pulumi.${stack}.yaml`), settings);
    ws.kayobeConfigGit("checkout", "-q", "site/2023.1");
    ws.stack(stack);
  });

  it("previews the source side as pending and every step of 2024.1 as waiting for the checkout to reach it, naming both releases and what to merge", () => {
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    assert.ok(
      stdout.includes(
        `waiting: the kayobe-config checkout at ${ws.kayobeConfig().replace(/\/$/, "")} is still at 2023.1 (antelope): the steps of 2024.1 (caracal) run only from its configuration. Once the Prerequisites are done, merge the site's 2024.1 configuration into the checkout (the runbook's Preparation: Migrating Kayobe Configuration), commit it, and run bin/pulumi up again`,
      ),
      stdout,
    );
    for (const m of targetSide) assert.match(stdout, new RegExp(`pending, and waiting: ${m.name.replace(/\+/g, "\\+")}\\b`));
    for (const m of sourceSide) assert.doesNotMatch(stdout, new RegExp(`pending, and waiting: ${m.name}\\b`));
    assert.deepStrictEqual(ws.journal(stack), []);
  });

  it("runs the source side only, from the checkout, and stops with that message", () => {
    const { stdout } = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    assert.match(stdout, new RegExp(`${targetSide[0].name} waits: the kayobe-config checkout at \\S+ is still at 2023\\.1 \\(antelope\\)`));
    assert.deepStrictEqual(ws.calls(stack), expectedCalls(sourceSide));
    for (const entry of ws.journal(stack).filter((e) => e.event === "start")) {
      assert.deepStrictEqual([entry.cwd, entry.env.KAYOBE_CONFIG_PATH], [ws.kayobeConfig().replace(/\/$/, ""), ws.kayobeConfig("etc/kayobe")], entry.argv.join(" "));
    }
    assert.deepStrictEqual(states(), sourceSide.map((m) => m.name));
  });

  it("after the merge, the next up runs the rest from the 2024.1 checkout and nothing of the source side again", () => {
    const before = ws.calls(stack).length;
    ws.kayobeConfigGit("checkout", "-q", "site/2024.1");
    ws.pulumi(["up", "--yes", "--stack", stack]);
    assert.deepStrictEqual(ws.calls(stack).slice(before), expectedCalls(targetSide));
    assert.deepStrictEqual(states(), plan.map((m) => m.name));
  });

  it("with the checkout at 2024.1 and no source-release ref, previews the Prerequisites as waiting for one, and up runs none of them", () => {
    const fresh = new Workspace();
    const settings = fs.readFileSync(fresh.file("Pulumi.staging.yaml"), "utf8").replace("  kayobe-upgrade:sourceConfigRef: site/2023.1\n", "");
    fs.writeFileSync(fresh.file("Pulumi.staging.yaml"), settings);
    fresh.stack("staging");
    const { stdout } = fresh.pulumi(["preview", "--stack", "staging"]);
    assert.match(stdout, /waiting: the Prerequisites run on 2023\.1 \(antelope\) from the site's 2023\.1 configuration, and the kayobe-config checkout at \S+ is at 2024\.1: set kayobe-upgrade:sourceConfigRef to the git ref/);
    assert.match(stdout, /pending, and waiting: rabbitmq-slurp-upgrade\b/);
    assert.doesNotMatch(stdout, /pending, and waiting: control-host-upgrade\b/);
    // up checks the 2024.1 side (the 2023.1 side, with its migration script, once there is one), then stops at the first Prerequisite.
    const up = fresh.pulumi(["up", "--yes", "--stack", "staging"], { expectFailure: true });
    assert.match(up.stdout, /rabbitmq-slurp-upgrade waits: the Prerequisites run on 2023\.1 \(antelope\)/);
    assert.doesNotMatch(up.stdout, /preflight \*\*creating failed\*\*/);
    assert.deepStrictEqual(fresh.calls("staging"), []);
  });

  it("runs no step of 2024.1 with the 2023.1 kayobe: a reinstall recorded by hand but not done stops the next step before its kayobe runs", () => {
    const site = new Workspace();
    site.stack("staging");
    site.setConfig("staging", "doneByHand", JSON.stringify({ "kayobe-environment-reinstall": "reinstalled by hand (it was not)" }));
    const { stdout } = site.pulumi(["up", "--yes", "--stack", "staging"], { expectFailure: true });
    assert.match(stdout, /control-host-upgrade: \S+simulator\/kayobe is kayobe 14\.5\.0, of 2023\.1, and this step runs at 2024\.1: the runbook reinstalls kayobe from 2024\.1's requirements\.txt before the control host upgrade/);
    const calls = site.calls("staging");
    assert.ok(calls.includes("kolla ansible run rabbitmq-upgrade 3.13"), "the Prerequisites ran with the 2023.1 kayobe");
    assert.ok(!calls.includes("control host upgrade"), "no 2024.1 command ran");
  });
});
