import * as assert from "assert";
import * as fs from "fs";
import { Workspace } from "./workspace";

describe("the safety net on the real engine: refused before anything runs", function () {
  const ws = new Workspace();
  const stack = "safety";
  const kollaYml = ws.kayobeConfig("etc/kayobe/kolla.yml");
  const original = fs.readFileSync(kollaYml, "utf8");

  before(() => {
    ws.stack(stack);
    ws.setConfig(stack, "kayobeBin", "simulator/kayobe");
    ws.setConfig(stack, "preflightKayobeBin", ".kayobe-upgrade/kayobe-16.8.0/bin/kayobe");
    ws.setConfig(stack, "sourcePreflightKayobeBin", ".kayobe-upgrade/kayobe-14.5.0/bin/kayobe");
    ws.setConfig(stack, "kayobeConfigPath", ".kayobe-upgrade/sample-kayobe-config/etc/kayobe");
    ws.setConfig(stack, "sourceConfigRef", "site/2023.1");
    ws.setConfig(stack, "environment", "staging");
    ws.setConfig(stack, "targetRelease", "2024.1");
    ws.setConfig(stack, "vaultPassword", "sample-vault-password-staging", true);
    ws.setConfig(stack, "kayobeEnv", JSON.stringify({ KAYOBE_SIM_JOURNAL: `.kayobe-upgrade/${stack}/kayobe-journal.jsonl`, KAYOBE_SIM_KAYOBE_VERSION: "14.5.0" }));
  });

  function refusal(command: "preview" | "up"): string {
    const { stdout, stderr } = ws.pulumi(command === "up" ? ["up", "--yes", "--stack", stack] : ["preview", "--stack", stack], { expectFailure: true });
    assert.doesNotMatch(stdout + stderr, /^\s+at /m, "no stack trace");
    return stdout + stderr;
  }

  it("refuses a kayobe-config with uncommitted changes, naming the file, unless the stack allows it", () => {
    fs.writeFileSync(kollaYml, original.replace("kolla_enable_heat: false", "kolla_enable_heat: true"));
    assert.match(refusal("preview"), /stack "safety": kayobe-upgrade:allowDirtyKayobeConfig: the kayobe-config checkout at \S+sample-kayobe-config has uncommitted changes \(M etc\/kayobe\/kolla\.yml\)/);
    ws.setConfig(stack, "allowDirtyKayobeConfig", "true");
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    assert.match(stdout, /kayobe-config \S+sample-kayobe-config: commit [0-9a-f]{40} on site\/2024\.1, with uncommitted changes/);
    assert.deepStrictEqual(ws.journal(stack), []);
  });

  it("fails preview on a broken blocking rule with the runbook's advice, and shows warnings and unchecked prerequisites", () => {
    fs.writeFileSync(kollaYml, original.replace("kolla_enable_heat: false\n", "kolla_enable_heat: false\nkolla_enable_magnum: true\nkolla_enable_grafana: true\n"));
    const output = refusal("preview");
    assert.match(output, /the kayobe-config at \S+ breaks 1 blocking rule\(s\) of 2024\.1:/);
    assert.match(output, /- 2024\.1 notable change "heat-needed-by-magnum" \(Heat disabled by default\): kolla_enable_heat evaluates false, but Magnum's Heat driver needs Heat\. The runbook: the Heat OpenStack service is no longer enabled by default/);
    assert.match(output, /warning: 2024\.1 notable change "grafana-old-volume" \(Grafana Volume\): grafana_remove_old_volume is not set/);
    assert.match(output, /warning: prerequisite "test-suites" is not checked/);
    assert.deepStrictEqual(ws.journal(stack), []);
    fs.writeFileSync(kollaYml, original);
  });

  it("stops the upgrade at a failing prerequisite check, before any kayobe command", () => {
    ws.setConfig(stack, "prerequisiteChecks", JSON.stringify({ "hypervisor-capacity": ["false"], "test-suites": false }));
    assert.match(refusal("up"), /false: exited with code 1/);
    assert.deepStrictEqual(ws.journal(stack), []);
  });
});
