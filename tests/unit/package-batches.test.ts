import * as assert from "assert";
import { KayobeConfig } from "../../resources/config/kayobe-config";
import { packageBatches, vipHostWarning } from "../../resources/runbook/package-batches";
import { evaluate, stagingConfig } from "./fixtures";

// Inventories as kayobe's groups give them (network a child of controllers, as in kayobe's defaults).
const SAMPLE = evaluate(stagingConfig());
const site = (groups: Record<string, string[]>): KayobeConfig => {
  const overcloud = [...new Set([...(groups.controllers ?? []), ...(groups.network ?? groups.controllers ?? []), ...(groups.compute ?? []), ...(groups.storage ?? []), ...(groups.monitoring ?? [])])];
  return { ...SAMPLE, inventory: { network: groups.controllers ?? [], ...groups, overcloud } };
};
const batchesOf = (kayobe: KayobeConfig, overrides: Parameters<typeof stagingConfig>[0] = {}, recorded: string[] = []) =>
  packageBatches({ config: stagingConfig(overrides), kayobe, recorded }).map((b) => [b.hosts.join("+"), b.drain ? "drain" : "", b.waitForHealth ? "health" : ""]);

describe("package batches from the hosts' roles", () => {
  const hyperconverged = site({ controllers: ["ctl-01", "ctl-02", "ctl-03"], compute: ["ctl-01", "ctl-02", "ctl-03", "cmp-01", "cmp-02", "cmp-03"] });

  it("updates controllers that are also hypervisors one at a time, drained and waited for, the VIP holder last, and the other hypervisors in batches", () => {
    assert.deepStrictEqual(batchesOf(hyperconverged, { hypervisorBatchSize: 2, vipHost: "ctl-01" }), [
      ["ctl-02", "drain", "health"],
      ["ctl-03", "drain", "health"],
      ["ctl-01", "drain", "health"],
      ["cmp-01+cmp-02", "drain", ""],
      ["cmp-03", "drain", ""],
    ]);
  });

  it("updates storage hosts that are also hypervisors one at a time, waited for, never in a hypervisors' batch", () => {
    const storageCompute = site({ controllers: ["ctl-01"], storage: ["stor-01", "stor-02", "stor-03"], compute: ["stor-01", "stor-02", "stor-03", "cmp-01", "cmp-02"], monitoring: ["mon-01"] });
    assert.deepStrictEqual(batchesOf(storageCompute, { hypervisorBatchSize: 3 }), [
      ["ctl-01", "", "health"],
      ["stor-01", "drain", "health"],
      ["stor-02", "drain", "health"],
      ["stor-03", "drain", "health"],
      ["mon-01", "", ""],
      ["cmp-01+cmp-02", "drain", ""],
    ]);
  });

  it("drops a recorded batch that put two controllers together, and keeps recorded hypervisor batches whatever the size", () => {
    const recorded = ["overcloud-host-package-update-ctl-01+ctl-02", "overcloud-host-package-update-cmp-02+cmp-03"];
    assert.deepStrictEqual(batchesOf(hyperconverged, { hypervisorBatchSize: 1 }, recorded), [
      ["ctl-01", "drain", "health"],
      ["ctl-02", "drain", "health"],
      ["ctl-03", "drain", "health"],
      ["cmp-02+cmp-03", "drain", ""],
      ["cmp-01", "drain", ""],
    ]);
  });

  it("warns at preview when the VIP holder is not named among several controllers", () => {
    assert.strictEqual(
      vipHostWarning({ config: stagingConfig(), kayobe: hyperconverged }),
      "kayobe-upgrade:vipHost is not set: the controllers' packages are updated in inventory order (ctl-01, ctl-02, ctl-03), and the one holding the VIP may not be last as the runbook asks; set it (bin/pulumi config set kayobe-upgrade:vipHost HOST)",
    );
    assert.strictEqual(vipHostWarning({ config: stagingConfig({ vipHost: "ctl-02" }), kayobe: hyperconverged }), undefined);
    assert.strictEqual(vipHostWarning({ config: stagingConfig(), kayobe: site({ controllers: ["ctl-01"], compute: ["cmp-01"] }) }), undefined);
  });
});
