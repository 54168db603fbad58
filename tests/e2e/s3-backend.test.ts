import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackConfig } from "../../resources/config/stack-config";
import { expectedCalls, planOf } from "./expected-calls";
import { S3Server } from "./s3-server";
import { Workspace } from "./workspace";

/** The shipped production stack (Pulumi.production.yaml), for its expected calls. */
const PRODUCTION: Partial<StackConfig> = { stack: "production", environment: "production", stage: "production", hypervisorBatchSize: 2, vipHost: "prd-ctl-01", overcloudImageRegexes: [] };
const WAIT_FOR_STEP_MS = 180_000;

/** Resolves once the stack's journal shows `command` started after its first `skip` calls (the run is then inside that step). */
async function started(ws: Workspace, stack: string, command: RegExp, skip = 0): Promise<void> {
  const deadline = Date.now() + WAIT_FOR_STEP_MS;
  while (!ws.calls(stack).slice(skip).some((call) => command.test(call))) {
    if (Date.now() > deadline) throw new Error(`no ${command} in the ${stack} journal after ${WAIT_FOR_STEP_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const unchanged = (stdout: string) => /(\d+) unchanged/.exec(stdout)?.[1];

describe("the S3 backend: two operators share the stacks in one object store (S3Proxy on 127.0.0.1)", function () {
  const s3 = new S3Server();
  // Two clones of the project, as on two control hosts laid out alike.
  let alice: Workspace;
  let bob: Workspace;

  before(async () => {
    await s3.start();
    alice = new Workspace({ env: s3.env });
    bob = new Workspace({ env: s3.env, sameLayoutAs: alice });
  });

  after(() => s3.stop());

  it("shows a stack one operator created and upgraded to the other, up to date", () => {
    alice.stack("staging");
    alice.pulumi(["up", "--yes", "--stack", "staging"]);
    assert.ok(s3.keys().includes(path.join(".pulumi", "stacks", "kayobe-upgrade", "staging.json")), "the state is in the bucket");
    assert.ok(!fs.existsSync(alice.file(".kayobe-upgrade/state")), "and not in the default file backend, in the record");

    assert.match(bob.pulumi(["stack", "ls"]).stdout, /^staging\s/m);
    const { stdout } = bob.pulumi(["preview", "--expect-no-changes", "--stack", "staging"]);
    assert.strictEqual(unchanged(stdout), String(planOf(alice.enginePath).length + new Set(planOf(alice.enginePath).map((m) => m.phase)).size + 1));
    assert.deepStrictEqual(bob.journal("staging"), [], "bob ran nothing");
    // The name a StackReference from the production stack reads staging by.
    const outputs = JSON.parse(bob.pulumi(["stack", "output", "--json", "--stack", "organization/kayobe-upgrade/staging"]).stdout);
    assert.strictEqual(outputs.progress["container-image-pull"].release, "2024.1");
  });

  it("refuses an up while the other operator's is running, and runs nothing twice", async () => {
    alice.stack("production");
    bob.pulumi(["stack", "select", "production"]);
    const running = alice.start(["up", "--yes", "--stack", "production"], { env: { KAYOBE_SIM_SLEEP: "8", KAYOBE_SIM_SLEEP_MATCH: "pulp-repo-sync" } });
    await started(alice, "production", /pulp-repo-sync/);

    const refused = bob.pulumi(["up", "--yes", "--stack", "production"], { expectFailure: true });
    assert.match(refused.stderr, /the stack is currently locked by 1 lock\(s\)/);
    assert.match(refused.stderr, /pulumi cancel/);
    await running.result;

    assert.deepStrictEqual(bob.journal("production"), [], "bob ran nothing");
    assert.deepStrictEqual(alice.calls("production"), expectedCalls(planOf(alice.enginePath, PRODUCTION)));
    bob.pulumi(["preview", "--expect-no-changes", "--stack", "production"]);
  });

  it("moves a stack from S3 to the file backend and back with stack export and import", () => {
    const carol = new Workspace({ sameLayoutAs: alice }); // the built-in file backend
    // Outside the copies: carol sees her copy where alice's is.
    const exports = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-upgrade-export-"));
    const fromS3 = path.join(exports, "staging-from-s3.json");
    alice.pulumi(["stack", "export", "--stack", "staging", "--file", fromS3]);
    carol.stack("staging");
    carol.pulumi(["stack", "import", "--stack", "staging", "--file", fromS3]);
    carol.pulumi(["preview", "--expect-no-changes", "--stack", "staging"]);

    alice.pulumi(["stack", "rm", "--force", "--yes", "--preserve-config", "staging"]);
    assert.doesNotMatch(bob.pulumi(["stack", "ls"]).stdout, /^staging\s/m);
    const fromFile = path.join(exports, "staging-from-file.json");
    carol.pulumi(["stack", "export", "--stack", "staging", "--file", fromFile]);
    alice.stack("staging");
    alice.pulumi(["stack", "import", "--stack", "staging", "--file", fromFile]);
    bob.pulumi(["preview", "--expect-no-changes", "--stack", "staging"]);
    assert.deepStrictEqual([...carol.journal("staging"), ...bob.journal("staging")], [], "moving ran nothing");
  });

  it("stops clearly when the store goes away mid-run, keeps what was recorded, and resumes once it is back", async () => {
    // A new image tag makes 7 milestones pending; the store vanishes during the second.
    const tags = alice.kayobeConfig("etc/kayobe/kolla-image-tags.yml");
    fs.writeFileSync(tags, fs.readFileSync(tags, "utf8").replace("rocky-9: 2024.1-rocky-9-20240823T101116", "rocky-9: 2024.1-rocky-9-20241001T000000"));
    alice.commit("a new image tag");
    const before = alice.calls("staging").length;
    const running = alice.start(["up", "--yes", "--stack", "staging"], { env: { KAYOBE_SIM_SLEEP: "8", KAYOBE_SIM_SLEEP_MATCH: "overcloud container image pull" }, expectFailure: true });
    await started(alice, "staging", /^overcloud container image pull$/, before);
    await s3.stop();
    const failed = await running.result;
    const said = failed.stdout + failed.stderr;
    assert.match(said, /failed to save snapshot: .*\.pulumi\/stacks\/kayobe-upgrade\/staging\.json.*connection refused/);
    assert.match(said, /there was a problem deleting the lock at s3:\/\/kayobe-upgrade-state\/\.pulumi\/locks\/organization\/kayobe-upgrade\/staging\//);
    await s3.start();

    // The run could not remove its lock while the store was away.
    const locked = alice.pulumi(["up", "--yes", "--stack", "staging"], { expectFailure: true });
    assert.match(locked.stderr, /the stack is currently locked by 1 lock\(s\)/);
    alice.pulumi(["cancel", "--yes", "--stack", "staging"]);
    alice.pulumi(["up", "--yes", "--stack", "staging"]);
    const df = "overcloud host command run --command df -h --show-output --limit controllers[0],compute[0],storage[0]";
    assert.deepStrictEqual(alice.calls("staging").slice(before), [
      // Recorded before the outage: not run again.
      "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-container-sync.yml",
      "playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-container-publish.yml",
      "overcloud container image build --push ironic- nova-api",
      // In flight when the store went away: its record was lost, so it runs again.
      df,
      "overcloud container image pull",
      df,
      "overcloud container image pull",
      "seed container image build --push",
      "seed service upgrade",
      "overcloud service upgrade",
    ]);
    alice.pulumi(["preview", "--expect-no-changes", "--stack", "staging"]);
  });
});
