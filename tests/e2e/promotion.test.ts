import * as assert from "assert";
import * as fs from "fs";
import { Workspace } from "./workspace";

describe("promoting staging to production by switching stacks (real engine)", function () {
  const ws = new Workspace();
  const promote = "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-repo-promote-production.yml";
  const tags = ws.kayobeConfig("etc/kayobe/kolla-image-tags.yml");
  const refusal = (output: string) => /staging stack "staging" has not completed this step at release 2024\.1 with fingerprint \w+; missing staging milestones: ([^.]+)\. Upgrade staging first/.exec(output)?.[1];

  before(() => {
    ws.stack("staging");
    ws.stack("production");
  });

  it("refuses production at preview before staging is done, naming what staging lacks", () => {
    const { stdout, stderr } = ws.pulumi(["preview", "--stack", "production"], { expectFailure: true });
    assert.strictEqual(refusal(stdout + stderr), "rabbitmq-slurp-upgrade");
    assert.deepStrictEqual(ws.journal("production"), []);
  });

  it("lets production follow once staging is done, promoting Pulp content only there", () => {
    ws.pulumi(["up", "--yes", "--stack", "staging"]);
    assert.ok(!ws.calls("staging").includes(promote));
    ws.pulumi(["preview", "--stack", "production"]);
    ws.pulumi(["up", "--yes", "--stack", "production"]);
    const calls = ws.calls("production");
    assert.strictEqual(calls.filter((c) => c === promote).length, 1);
    assert.ok(calls.indexOf(promote) > calls.indexOf("playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-repo-publish.yml"));
    // The production stack's own options: the VIP holder last, hypervisors two at a time.
    assert.deepStrictEqual(
      calls.filter((c) => c.startsWith("overcloud host package update")).map((c) => c.split(" --limit ")[1]),
      ["prd-ctl-02", "prd-ctl-03", "prd-ctl-01", "prd-stg-01", "prd-stg-02", "prd-stg-03", "prd-cmp-01,prd-cmp-02", "prd-cmp-03,prd-cmp-04"],
    );
    const progress = JSON.parse(ws.pulumi(["stack", "output", "progress", "--json", "--stack", "production"]).stdout);
    assert.strictEqual(progress["pulp-repo-promote-production"].release, "2024.1");
    assert.strictEqual(progress["overcloud-host-package-update-prd-cmp-01+prd-cmp-02"].step, "overcloud-host-package-update");
  });

  it("refuses production building other images than staging built and tested, naming the setting", () => {
    const before = ws.calls("production").length;
    ws.setConfig("production", "overcloudImageRegexes", '["nova-"]');
    const { stdout, stderr } = ws.pulumi(["preview", "--stack", "production"], { expectFailure: true });
    assert.match(
      stdout + stderr,
      /overcloud-container-image-build: staging stack "staging" has not completed this step at release 2024\.1 with fingerprint \w+; missing staging milestones: overcloud-container-image-build\. Staging ran it with other settings, and production runs only what staging ran and tested: kayobe-upgrade:overcloudImageRegexes is \["ironic-","nova-api"\] on staging, \["nova-"\] here\. Set them as staging has them/,
    );
    assert.strictEqual(ws.calls("production").length, before);
    ws.setConfig("production", "overcloudImageRegexes", '["ironic-","nova-api"]');
  });

  it("blocks production again when staging's configuration moves on, until staging catches up", () => {
    fs.writeFileSync(tags, fs.readFileSync(tags, "utf8").replace("openstack:\n    rocky-9: 2024.1-rocky-9-20240823T101116", "openstack:\n    rocky-9: 2024.1-rocky-9-20241001T000000"));
    ws.commit("a new image tag");
    const { stdout, stderr } = ws.pulumi(["preview", "--stack", "production"], { expectFailure: true });
    assert.strictEqual(refusal(stdout + stderr), "pulp-container-sync");
    ws.pulumi(["up", "--yes", "--stack", "staging"]);
    assert.match(ws.pulumi(["preview", "--stack", "production"]).stdout, /7 to update/);
  });

  it("goes ahead of staging with an override, and records it", () => {
    fs.writeFileSync(tags, fs.readFileSync(tags, "utf8").replace("2024.1-rocky-9-20241001T000000", "2024.1-rocky-9-20241101T000000"));
    ws.commit("another image tag");
    ws.setConfig("production", "promotionOverride", "CVE-2026-0001 hotfix, approved by change 4711");
    ws.pulumi(["up", "--yes", "--stack", "production"]);
    const outputs = JSON.parse(ws.pulumi(["stack", "output", "--json", "--stack", "production"]).stdout);
    assert.deepStrictEqual(outputs.promotionOverride, { reason: "CVE-2026-0001 hotfix, approved by change 4711", staging: "staging" });
    const state = JSON.parse(ws.exportState("production")).deployment.resources;
    const sync = state.find((r: { urn: string }) => r.urn.endsWith("::pulp-container-sync"));
    assert.deepStrictEqual(sync.outputs.gate, { staging: "staging", satisfied: false, missing: ["pulp-container-sync"], override: "CVE-2026-0001 hotfix, approved by change 4711" });
  });
});
