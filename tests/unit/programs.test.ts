import * as assert from "assert";
import * as path from "path";
import { refuseMissingPrograms } from "../../resources/checks/programs";
import { StackConfig } from "../../resources/config/stack-config";
import { planUpgrade } from "../../resources/runbook/plan";
import { PROJECT, REAL_KAYOBE, sidesOf, stagingConfig } from "./fixtures";

/** Refuses, or not, the plan of a stack whose steps search only kayobe's folder and /usr/bin:/bin. */
function check(overrides: Partial<StackConfig>): void {
  const config = stagingConfig({ kayobeEnv: { PATH: "/usr/bin:/bin" }, ...overrides });
  const sides = sidesOf(config);
  refuseMissingPrograms(config, sides, planUpgrade(config, sides.target, sides.source), PROJECT);
}

describe("programs the settings give the plan, looked for as the steps run them", () => {
  it("refuses the Ironic client that real kayobe's virtualenv lacks, naming the key to set and the PATH searched", () => {
    assert.throws(() => check({ kayobeBin: REAL_KAYOBE }), {
      message: `stack "staging": kayobe-upgrade:baremetalBin: ironic-wait-state-check runs "baremetal", which is not found on the PATH the step runs with, kayobe's virtualenv first (${path.dirname(REAL_KAYOBE)}:/usr/bin:/bin); set kayobe-upgrade:baremetalBin to its path (python-ironicclient's baremetal, e.g. in a virtualenv of its own)`,
    });
  });

  it("finds it beside kayobe (the simulator's), or where baremetalBin says", () => {
    check({});
    check({ kayobeBin: REAL_KAYOBE, baremetalBin: path.join(PROJECT, "simulator", "baremetal") });
  });

  it("names the setting of a smoke test or prerequisite check whose program is missing", () => {
    assert.throws(() => check({ smokeTests: { "Upgrading the Seed": [["openstack", "server", "list"]] } }), /kayobe-upgrade:smokeTests: smoke-tests-upgrading-the-seed runs "openstack", which is not found on the PATH/);
    const safety = { ...stagingConfig().safety, prerequisiteChecks: { "test-suites": [path.join(PROJECT, "tools", "tempest.sh")] } };
    assert.throws(() => check({ safety }), /kayobe-upgrade:prerequisiteChecks: prerequisite-check-test-suites runs "\/.*\/tools\/tempest\.sh", which is not an executable file; set kayobe-upgrade:prerequisiteChecks to its path$/);
  });
});
