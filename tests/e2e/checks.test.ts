// Nothing in the window goes ahead on a guess (issue #19): the Ironic check reads every
// node, the programs the plan needs are found before anything runs, and phases run side
// by side keep the orders that hold in any case. On the real engine.
import * as assert from "assert";
import { Workspace } from "./workspace";

describe("checks that read the whole answer and find what the plan needs (real engine)", function () {
  const ws = new Workspace();
  const stack = "staging";

  before(() => ws.stack(stack));

  it("refuses at preview an Ironic client the steps would not find (real kayobe's virtualenv has none), naming the key to set", () => {
    ws.setConfig(stack, "kayobeBin", ".kayobe-upgrade/kayobe-16.8.0/bin/kayobe");
    const { stdout, stderr } = ws.pulumi(["preview", "--stack", stack], { expectFailure: true });
    assert.match(stdout + stderr, /stack "staging": kayobe-upgrade:baremetalBin: ironic-wait-state-check runs "baremetal", which is not found on the PATH the step runs with, kayobe's virtualenv first \(\S*\.kayobe-upgrade\/kayobe-16\.8\.0\/bin:/);
    assert.deepStrictEqual(ws.journal(stack), []);
    ws.setConfig(stack, "kayobeBin", "simulator/kayobe");
  });

  it("with phases side by side, refuses a node in a wait state at the top of 2000, naming it; then runs the Wazuh agents after their manager and the seed after its hypervisor", () => {
    ws.setConfig(stack, "parallelPhases", "true");
    const { stdout } = ws.pulumi(["up", "--yes", "--skip-preview", "--stack", stack], { env: { KAYOBE_SIM_IRONIC_NODES: "bm-0000=clean wait,1999*available" }, expectFailure: true });
    assert.match(stdout, /phases side by side, but Upgrading Wazuh Agents after Upgrading Wazuh Manager: the agents report to the manager/);
    assert.match(stdout, /ironic-wait-state-check[\s\S]*Ironic nodes in a wait state block the upgrade; wait for them, or set ironic_upgrade_skip_wait_check: true in kolla\/globals\.yml; 1 node in a wait state: bm-0000 \(clean wait\)/);
    assert.ok(!ws.calls(stack).includes("overcloud service upgrade"), "the service upgrade waits for the check");
    ws.pulumi(["up", "--yes", "--skip-preview", "--stack", stack], { env: { KAYOBE_SIM_IRONIC_NODES: "2000*available" } });
    const calls = ws.calls(stack);
    assert.ok(calls.includes("overcloud service upgrade"));
    const last = (match: (call: string) => boolean) => calls.map((call, i) => (match(call) ? i : -1)).reduce((a, b) => Math.max(a, b));
    const first = (match: (call: string) => boolean) => calls.findIndex(match);
    const manager = (call: string) => call.includes("wazuh-manager");
    const agents = (call: string) => call.includes("wazuh-agent.yml");
    const hypervisor = (call: string) => call.startsWith("seed hypervisor ") || call.endsWith("-l seed-hypervisor");
    const seed = (call: string) => /^seed (host|service|container|deployment) /.test(call) || call.endsWith("-l seed");
    assert.ok(last(manager) >= 0 && last(manager) < first(agents), `the manager (last call ${last(manager)}) before the agents (first call ${first(agents)})`);
    assert.ok(last(hypervisor) >= 0 && last(hypervisor) < first(seed), `the seed hypervisor (last call ${last(hypervisor)}) before the seed (first call ${first(seed)})`);
  });
});
