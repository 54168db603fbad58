import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readKayobeConfig } from "../../resources/config/kayobe-config";
import { configAt } from "../../resources/config/sides";
import { parseDump } from "../../resources/kayobe/configuration-dump";
import { copyOfSample, evaluate, REAL_KAYOBE, SAMPLE, SAMPLE_VAULT_PASSWORD, stagingConfig } from "./fixtures";

const CHECKOUT = path.resolve(SAMPLE, "..", "..");

/** A kayobe that counts its calls in `calls`, then is the real one. */
function countingKayobe(): { bin: string; calls: () => number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "counting-kayobe-"));
  const bin = path.join(dir, "kayobe");
  fs.writeFileSync(bin, `#!/bin/sh\necho call >> "${dir}/calls"\nPATH="${path.dirname(REAL_KAYOBE)}:$PATH" exec "${REAL_KAYOBE}" "$@"\n`, { mode: 0o755 });
  return { bin, calls: () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").split("\n").length - 1 : 0) };
}

function refusal(config: ReturnType<typeof stagingConfig>, password = SAMPLE_VAULT_PASSWORD.staging): string {
  try {
    readKayobeConfig({ ...config, workDir: fs.mkdtempSync(path.join(os.tmpdir(), "kc-work-")) }, password, configAt(config, "target", config.kayobeConfigPath));
  } catch (err) {
    assert.strictEqual((err as Error).name, "ConfigError");
    return (err as Error).message;
  }
  return assert.fail("expected a refusal");
}

describe("kayobe-config, as kayobe evaluates it", () => {
  it("reads the sample's staging environment: the release from its codename, host ranges, any inventory file name, kolla globals templated", () => {
    const kayobe = evaluate(stagingConfig());
    assert.strictEqual(kayobe.vars.openstack_release, "2024.1");
    assert.strictEqual(kayobe.vars.openstack_release_codename, "caracal");
    assert.strictEqual(kayobe.vars.kolla_enable_ironic, true);
    assert.deepStrictEqual(kayobe.inventory.controllers, ["stg-ctl-01", "stg-ctl-02", "stg-ctl-03"]);
    assert.deepStrictEqual(kayobe.inventory.compute, ["stg-cmp-01", "stg-cmp-02", "stg-cmp-03", "stg-cmp-04"], "from inventory/compute-hosts");
    assert.strictEqual(kayobe.inventory.overcloud.length, 10);
    assert.ok(kayobe.inventory.all.includes("localhost"));
    assert.deepStrictEqual(kayobe.kollaGlobals, {
      openstack_tag: "2024.1-rocky-9-20240823T101116",
      bifrost_tag: "2024.1-rocky-9-20240823T101116",
      om_enable_rabbitmq_high_availability: false,
      om_enable_rabbitmq_quorum_queues: true,
      octavia_provider_drivers: "amphora:Amphora provider",
    });
  });

  it("runs from the checkout with what its own kayobe-env exports", () => {
    const kayobe = evaluate(stagingConfig());
    const base = path.resolve(CHECKOUT, "..", "..");
    assert.deepStrictEqual(kayobe.env, {
      source: "kayobe-env",
      vars: {
        KAYOBE_CONFIG_PATH: SAMPLE,
        KAYOBE_ENVIRONMENT: "staging",
        KOLLA_CONFIG_PATH: path.join(CHECKOUT, "etc", "kolla"),
        KOLLA_SOURCE_PATH: path.join(base, "src", "kolla-ansible"),
        KOLLA_VENV_PATH: path.join(base, "venvs", "kolla-ansible"),
      },
    });
    assert.strictEqual(kayobe.checkout, CHECKOUT);
  });

  it("reads the production environment's YAML inventory, decrypting its vault file with its own password", () => {
    const kayobe = evaluate(stagingConfig({ stack: "production", environment: "production" }));
    assert.deepStrictEqual(kayobe.inventory.controllers, ["prd-ctl-01", "prd-ctl-02", "prd-ctl-03"]);
    assert.deepStrictEqual(kayobe.inventory.storage, ["prd-stg-01", "prd-stg-02", "prd-stg-03"]);
  });

  it("lets the environment's files override the base ones", () => {
    const dir = copyOfSample();
    fs.writeFileSync(path.join(dir, "environments", "staging", "kolla.yml"), "kolla_enable_ironic: false\n");
    assert.strictEqual(evaluate(stagingConfig({ kayobeConfigPath: dir })).vars.kolla_enable_ironic, false);
    assert.strictEqual(evaluate(stagingConfig({ kayobeConfigPath: dir, environment: "production" })).vars.kolla_enable_ironic, true);
  });

  it("applies kayobe's defaults where the config has no kayobe-env, and says so", () => {
    const dir = copyOfSample();
    fs.rmSync(path.resolve(dir, "..", "..", "kayobe-env"));
    assert.deepStrictEqual(evaluate(stagingConfig({ kayobeConfigPath: dir })).env, { source: "defaults", vars: { KAYOBE_CONFIG_PATH: dir, KAYOBE_ENVIRONMENT: "staging" } });
  });

  it("asks kayobe once, until a file of the checkout changes", () => {
    const dir = copyOfSample();
    const kayobe = countingKayobe();
    const config = stagingConfig({ kayobeConfigPath: dir, preflightKayobeBin: kayobe.bin, workDir: fs.mkdtempSync(path.join(os.tmpdir(), "kc-work-")) });
    const read = () => readKayobeConfig(config, SAMPLE_VAULT_PASSWORD.staging, configAt(config, "target", dir));
    read();
    assert.strictEqual(read().vars.kolla_enable_ironic, true);
    assert.strictEqual(kayobe.calls(), 1);
    fs.writeFileSync(path.join(dir, "environments", "staging", "kolla.yml"), "kolla_enable_ironic: false\n");
    assert.strictEqual(read().vars.kolla_enable_ironic, false);
    assert.strictEqual(kayobe.calls(), 2);
    assert.strictEqual((fs.statSync(path.join(config.workDir, "kayobe-config-2024.1.json")).mode & 0o777).toString(8), "600");
  });

  it("asks kayobe once whatever order the stack's kayobeEnv comes in (the engine sorts it, the stack file does not)", () => {
    const dir = copyOfSample();
    const kayobe = countingKayobe();
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "kc-work-"));
    for (const kayobeEnv of [{ B_SETTING: "2", A_SETTING: "1" }, { A_SETTING: "1", B_SETTING: "2" }]) {
      const config = stagingConfig({ kayobeConfigPath: dir, preflightKayobeBin: kayobe.bin, workDir, kayobeEnv });
      readKayobeConfig(config, SAMPLE_VAULT_PASSWORD.staging, configAt(config, "target", dir));
    }
    assert.strictEqual(kayobe.calls(), 1);
  });

  it("refuses a kayobeConfigPath that is not a folder", () => {
    assert.strictEqual(refusal(stagingConfig({ kayobeConfigPath: "/nonexistent/etc/kayobe" })), 'stack "staging": kayobe-upgrade:kayobeConfigPath: expected the etc/kayobe folder of a kayobe-config checkout, but /nonexistent/etc/kayobe is not a folder');
  });

  it("refuses an environment the kayobe-config does not have, listing those it has", () => {
    assert.strictEqual(
      refusal(stagingConfig({ environment: "qa" })),
      `stack "staging": kayobe-upgrade:environment: expected a kayobe environment, but ${SAMPLE}/environments/qa does not exist (environments there: production, staging)`,
    );
  });

  it("refuses what the config's kayobe-env refuses, with its words", () => {
    const dir = copyOfSample();
    fs.appendFileSync(path.resolve(dir, "..", "..", "kayobe-env"), 'echo "the staging environment needs VPN access" >&2; return 3\n');
    assert.match(refusal(stagingConfig({ kayobeConfigPath: dir })), /^stack "staging": kayobe-upgrade:environment: the kayobe-config's own kayobe-env refused it: \S+kayobe-env --environment staging failed \(exit 3\): .*the staging environment needs VPN access$/);
  });

  it("refuses a vault file that the stack's password does not open, with kayobe's words", () => {
    assert.match(refusal(stagingConfig(), "not-the-password"), /^stack "staging": kayobe-upgrade:vaultPassword: `\S+ configuration dump` failed \(exit \d+\): ERROR! Decryption failed/);
  });

  it("refuses invalid YAML with Ansible's words", () => {
    const dir = copyOfSample();
    fs.writeFileSync(path.join(dir, "kolla.yml"), "kolla_enable_ironic: true\n  bad: [\n");
    assert.match(refusal(stagingConfig({ kayobeConfigPath: dir })), /^stack "staging": kayobe-upgrade:kayobeConfigPath: `\S+ configuration dump` failed \(exit \d+\): [\s\S]*kolla\.yml/);
  });

  it("refuses kolla globals that kayobe cannot render", () => {
    const dir = copyOfSample();
    fs.appendFileSync(path.join(dir, "kolla", "globals.yml"), "neutron_dns_domain: \"{{ site_dns_domain }}.\"\n");
    assert.match(refusal(stagingConfig({ kayobeConfigPath: dir })), /kayobe-upgrade:kayobeConfigPath: kayobe could not evaluate kolla\/globals\.yml .*: a variable it uses is undefined/);
  });

  it("refuses a variable kayobe leaves unrendered, naming it", () => {
    const dump = { vars: { "kolla_enable_.*": { kolla_enable_ironic: "{{ site_has_ironic }}" } }, inventory: {}, kolla_globals: {} };
    assert.throws(() => parseDump(JSON.stringify(dump)), { message: /^kayobe could not evaluate kolla_enable_ironic \(it stays "\{\{ site_has_ironic \}\}"\)/ });
  });
});
