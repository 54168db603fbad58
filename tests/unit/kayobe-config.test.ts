import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readKayobeConfig } from "../../resources/config/kayobe-config";
import { copyOfSample, SAMPLE, stagingConfig } from "./fixtures";

describe("kayobe-config", () => {
  it("reads the sample's variables, the environment's kolla globals and its inventory", () => {
    const kayobe = readKayobeConfig(stagingConfig());
    assert.strictEqual(kayobe.vars.openstack_release, "2024.1");
    assert.strictEqual(kayobe.vars.kolla_enable_ironic, true);
    assert.strictEqual(kayobe.kollaGlobals.kolla_internal_vip_address, "10.1.0.250");
    assert.strictEqual(kayobe.kollaGlobals.om_enable_rabbitmq_quorum_queues, true);
    assert.deepStrictEqual(kayobe.inventory.controllers, ["stg-ctl-01", "stg-ctl-02", "stg-ctl-03"]);
    assert.deepStrictEqual(kayobe.inventory.seed, ["stg-seed-01"]);
    assert.strictEqual(kayobe.inventory.overcloud.length, 10);
  });

  it("lets the environment's files override the base ones", () => {
    const dir = copyOfSample();
    fs.writeFileSync(path.join(dir, "environments", "staging", "kolla.yml"), "kolla_enable_ironic: false\n");
    assert.strictEqual(readKayobeConfig(stagingConfig({ kayobeConfigPath: dir })).vars.kolla_enable_ironic, false);
    assert.strictEqual(readKayobeConfig(stagingConfig({ kayobeConfigPath: dir, environment: "production" })).vars.kolla_enable_ironic, true);
  });

  it("refuses a kayobeConfigPath that is not a folder", () => {
    assert.throws(() => readKayobeConfig(stagingConfig({ kayobeConfigPath: "/nonexistent/etc/kayobe" })), {
      message: 'stack "staging": kayobe-upgrade:kayobeConfigPath: expected the etc/kayobe folder of a kayobe-config checkout, but /nonexistent/etc/kayobe is not a folder',
    });
  });

  it("refuses an environment the kayobe-config does not have, listing those it has", () => {
    assert.throws(() => readKayobeConfig(stagingConfig({ environment: "qa" })), {
      message: `stack "staging": kayobe-upgrade:environment: expected a kayobe environment, but ${SAMPLE}/environments/qa does not exist (environments there: production, staging)`,
    });
  });

  it("refuses invalid YAML, naming the file and line", () => {
    const dir = copyOfSample();
    fs.writeFileSync(path.join(dir, "kolla.yml"), "kolla_enable_ironic: true\n  bad: [\n");
    assert.throws(() => readKayobeConfig(stagingConfig({ kayobeConfigPath: dir })), (err: Error) => {
      assert.match(err.message, new RegExp(`^stack "staging": kayobe-upgrade:kayobeConfigPath: expected valid YAML in ${dir}/kolla.yml at line \\d+: `));
      return true;
    });
  });

  it("refuses a variables file that is not a mapping", () => {
    const dir = copyOfSample();
    fs.writeFileSync(path.join(dir, "kolla.yml"), "- a\n- b\n");
    assert.throws(() => readKayobeConfig(stagingConfig({ kayobeConfigPath: dir })), {
      message: `stack "staging": kayobe-upgrade:kayobeConfigPath: expected a mapping of variables in ${dir}/kolla.yml`,
    });
  });

  it("refuses a kayobe-config without an inventory", () => {
    const dir = copyOfSample();
    fs.rmSync(path.join(dir, "inventory"), { recursive: true });
    fs.rmSync(path.join(dir, "environments", "staging", "inventory"), { recursive: true });
    assert.throws(() => readKayobeConfig(stagingConfig({ kayobeConfigPath: dir })), {
      message: `stack "staging": kayobe-upgrade:kayobeConfigPath: expected an Ansible inventory in ${dir}/inventory, found none`,
    });
  });
});
