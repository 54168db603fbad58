import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommands } from "../../resources/executor/run-commands";
import { describeWaiting, ironicWaitCheck, nodesInWaitState } from "../../resources/runbook/ironic-wait-check";
import type { RefuseNodesInWaitState } from "../../resources/runbook/phases";
import { PROJECT, stagingConfig } from "./fixtures";

const node = (name: string | null, state: string, uuid = "u-1") => ({ UUID: uuid, Name: name, "Provisioning State": state });

describe("the Ironic wait-state check", () => {
  it("asks the client for every node, as JSON, with its name and provision state", () => {
    const check = ironicWaitCheck(stagingConfig({ baremetalBin: "/opt/ironic/bin/baremetal" })).commands[0] as RefuseNodesInWaitState;
    assert.deepStrictEqual(check.argv, ["/opt/ironic/bin/baremetal", "node", "list", "--limit", "0", "-f", "json", "-c", "UUID", "-c", "Name", "-c", "Provisioning State"]);
  });

  it("names the nodes whose provision state is a wait state, by name or else UUID", () => {
    const answer = JSON.stringify([node("bm-1", "clean wait"), node("bm-2", "active"), node(null, "wait call-back", "u-3"), node("bm-4", "available"), node("bm-5", "inspect wait")]);
    assert.deepStrictEqual(nodesInWaitState(answer), ["bm-1 (clean wait)", "u-3 (wait call-back)", "bm-5 (inspect wait)"]);
    assert.deepStrictEqual(nodesInWaitState("[]"), []);
  });

  it("refuses an answer it cannot read rather than pass it", () => {
    assert.throws(() => nodesInWaitState("+------+\n| UUID |"), /expected the Ironic client's node list as JSON, got "\+------\+/);
    assert.throws(() => nodesInWaitState(JSON.stringify([{ UUID: "u", Name: "bm-1" }])), /expected a JSON list of nodes, each with its "Provisioning State"/);
  });

  it("keeps what it says short: ten names, then how many more", () => {
    const waiting = Array.from({ length: 12 }, (_, i) => `bm-${i} (clean wait)`);
    assert.strictEqual(describeWaiting(waiting), `12 nodes in a wait state: ${waiting.slice(0, 10).join(", ")}, and 2 more`);
    assert.strictEqual(describeWaiting(["bm-0 (clean wait)"]), "1 node in a wait state: bm-0 (clean wait)");
  });

  it("refuses a node in a wait state at the top of a list of 2000 (the simulator's client), naming it", async function () {
    this.timeout(20000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ironic-check-"));
    const execution = { kayobeBin: "kayobe", kayobeConfigPath: dir, kayobeEnv: {}, cwd: PROJECT, workingDir: dir, logDir: dir, scratchDir: dir, timeoutSeconds: 60, release: "2024.1" };
    const check = ironicWaitCheck(stagingConfig({ baremetalBin: path.join(PROJECT, "simulator", "baremetal") }));
    const saved = process.env.KAYOBE_SIM_IRONIC_NODES;
    process.env.KAYOBE_SIM_IRONIC_NODES = "bm-0000=clean wait,1999*available";
    try {
      const error = await runCommands(check.name, check.commands, execution, { vaultPassword: "pw", env: {} }, { report: () => undefined }).catch((err: Error) => err);
      assert.match(String(error), /Ironic nodes in a wait state block the upgrade; wait for them, or set ironic_upgrade_skip_wait_check: true in kolla\/globals\.yml; 1 node in a wait state: bm-0000 \(clean wait\)\./);
      assert.strictEqual(JSON.parse(fs.readFileSync(path.join(dir, "baremetal-node-list.json"), "utf8")).length, 2000);
      process.env.KAYOBE_SIM_IRONIC_NODES = "1999*available,bm-1999=deploy wait";
      const passed = await runCommands(check.name, check.commands, execution, { vaultPassword: "pw", env: {} }, { report: () => undefined }).catch((err: Error) => err);
      assert.match(String(passed), /1 node in a wait state: bm-1999 \(deploy wait\)/, "the bottom of the list too");
      process.env.KAYOBE_SIM_IRONIC_NODES = "2000*available";
      const run = await runCommands(check.name, check.commands, execution, { vaultPassword: "pw", env: {} }, { report: () => undefined });
      assert.strictEqual(run.commands[0].decision, "no node in a wait state");
    } finally {
      if (saved === undefined) delete process.env.KAYOBE_SIM_IRONIC_NODES;
      else process.env.KAYOBE_SIM_IRONIC_NODES = saved;
    }
  });
});
