import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readKayobeConfig } from "../../resources/config/kayobe-config";
import { planUpgrade } from "../../resources/runbook/plan";
import { copyOfSample, stagingConfig } from "./fixtures";

function planFor(kayobeConfigPath?: string) {
  const config = stagingConfig(kayobeConfigPath ? { kayobeConfigPath } : {});
  return planUpgrade(config, readKayobeConfig(config));
}

function fingerprints(kayobeConfigPath?: string): Record<string, string> {
  return Object.fromEntries(planFor(kayobeConfigPath).map((m) => [m.name, m.fingerprint]));
}

function changedBy(file: string, from: string, to: string): string[] {
  const dir = copyOfSample();
  const target = path.join(dir, file);
  const text = fs.readFileSync(target, "utf8");
  assert.ok(text.includes(from), `${file} has ${from}`);
  fs.writeFileSync(target, text.replace(from, to));
  const before = fingerprints();
  const after = fingerprints(dir);
  return Object.keys(before).filter((name) => before[name] !== after[name]);
}

describe("upgrade plan", () => {
  it("gives the runbook's preparation commands, in its order, as a chain", () => {
    const plan = planFor();
    assert.deepStrictEqual(
      plan.map((m) => [m.name, m.phase, m.commands, m.dependsOn]),
      [
        ["control-host-upgrade", "Preparation", [["kayobe", "control", "host", "upgrade"]], []],
        [
          "pulp-repo-sync",
          "Preparation",
          [
            ["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/pulp-repo-sync.yml"],
            ["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/pulp-repo-publish.yml"],
          ],
          ["control-host-upgrade"],
        ],
        [
          "pulp-container-sync",
          "Preparation",
          [
            ["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/pulp-container-sync.yml"],
            ["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/pulp-container-publish.yml"],
          ],
          ["pulp-repo-sync"],
        ],
        [
          "container-image-pull",
          "Preparation",
          [
            ["kayobe", "overcloud", "host", "command", "run", "--command", "df -h", "--show-output", "--limit", "controllers[0],compute[0],storage[0]"],
            ["kayobe", "overcloud", "container", "image", "pull"],
          ],
          ["pulp-container-sync"],
        ],
      ],
    );
  });

  it("re-runs image sync and pull, and nothing else, when an image tag changes", () => {
    assert.deepStrictEqual(changedBy("kolla-image-tags.yml", "rocky-9: 2024.1-rocky-9-20240823T101116", "rocky-9: 2024.1-rocky-9-20241001T000000"), [
      "pulp-container-sync",
      "container-image-pull",
    ]);
  });

  it("re-runs the repository sync, and nothing else, when a repository version changes", () => {
    assert.deepStrictEqual(changedBy("pulp-repo-versions.yml", "epel_9_version: 20240823T003401", "epel_9_version: 20241001T000000"), ["pulp-repo-sync"]);
  });

  it("changes no fingerprint for configuration no step depends on", () => {
    assert.deepStrictEqual(changedBy("ipa.yml", "ipa_build_images: false", "ipa_build_images: false\nunrelated: 1"), []);
  });

  it("refuses a kayobe-config that targets another release, saying both", () => {
    const config = stagingConfig({ targetRelease: "2025.1" });
    assert.throws(() => planUpgrade(config, readKayobeConfig(config)), {
      name: "ConfigError",
      message: `stack "staging": kayobe-upgrade:targetRelease: the stack targets 2025.1 but the kayobe-config at ${config.kayobeConfigPath} targets 2024.1 (openstack_release); check out the kayobe-config branch for 2025.1 or change targetRelease`,
    });
  });
});
