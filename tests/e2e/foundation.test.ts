import * as assert from "assert";
import * as fs from "fs";
import { Workspace } from "./workspace";

const PREPARATION = [
  "control host upgrade",
  "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-repo-sync.yml",
  "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-repo-publish.yml",
  "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-container-sync.yml",
  "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-container-publish.yml",
  "overcloud host command run --command df -h --show-output --limit controllers[0],compute[0],storage[0]",
  "overcloud container image pull",
];

describe("the real engine on the shipped staging stack (file backend, simulator)", function () {
  const ws = new Workspace();
  const stack = "staging";

  before(() => ws.stack(stack));

  it("previews the pending milestones by phase and calls no kayobe command", () => {
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    assert.match(stdout, /kayobe-upgrade:runbook:Phase\s+Preparation\s+create/);
    for (const name of ["control-host-upgrade", "pulp-repo-sync", "pulp-container-sync", "container-image-pull"]) {
      assert.match(stdout, new RegExp(`Milestone\\s+${name}\\s+create`));
    }
    assert.deepStrictEqual(ws.journal(stack), []);
  });

  it("runs the milestones' kayobe commands in dependency order on up", () => {
    ws.pulumi(["up", "--yes", "--stack", stack]);
    assert.deepStrictEqual(ws.calls(stack), PREPARATION);
    const env = ws.journal(stack)[0].env;
    assert.strictEqual(env.KAYOBE_CONFIG_PATH, ws.file("samples/kayobe-config/etc/kayobe"));
    assert.strictEqual(env.KAYOBE_ENVIRONMENT, "staging");
    assert.strictEqual(env.KAYOBE_VAULT_PASSWORD, "<set>");
  });

  it("records what ran in the state", () => {
    const state = JSON.parse(ws.exportState(stack));
    const pull = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::container-image-pull"));
    assert.strictEqual(pull.outputs.releaseReached, "2024.1");
    assert.deepStrictEqual(
      pull.outputs.commandsRun.map((c: { command: string; exitCode: number }) => [c.command, c.exitCode]),
      [
        ['kayobe overcloud host command run --command "df -h" --show-output --limit controllers[0],compute[0],storage[0]', 0],
        ["kayobe overcloud container image pull", 0],
      ],
    );
    assert.ok(fs.existsSync(pull.outputs.log), "the log file named in the outputs exists");
  });

  it("shows no changes and runs nothing the second time", () => {
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    assert.match(stdout, /6 unchanged/);
    ws.pulumi(["up", "--yes", "--stack", stack]);
    assert.deepStrictEqual(ws.calls(stack), PREPARATION);
  });

  it("keeps the vault password out of the state, the journal and the logs", () => {
    const password = "sample-vault-password-staging";
    assert.ok(!ws.exportState(stack).includes(password), "state");
    assert.ok(!fs.readFileSync(ws.file(".kayobe-upgrade/staging/kayobe-journal.jsonl"), "utf8").includes(password), "journal");
    assert.ok(!ws.logs(stack).includes(password), "logs");
    // ...and the stack does hold it, so the checks above can fail.
    assert.match(ws.pulumi(["config", "get", "kayobe-upgrade:vaultPassword", "--stack", stack]).stdout, new RegExp(password));
  });

  it("shows every milestone as an update for a new target release", () => {
    const openstack = ws.file("samples/kayobe-config/etc/kayobe/openstack.yml");
    fs.writeFileSync(openstack, fs.readFileSync(openstack, "utf8").replace('"2024.1"', '"2025.1"'));
    ws.setConfig(stack, "targetRelease", "2025.1");
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    assert.match(stdout, /4 to update/);
    assert.deepStrictEqual(ws.calls(stack), PREPARATION);
  });
});
