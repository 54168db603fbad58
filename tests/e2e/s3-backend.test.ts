import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { StackConfig } from "../../resources/config/stack-config";
import { expectedCalls, planOf } from "./expected-calls";
import { S3Server } from "./s3-server";
import { Workspace } from "./workspace";

/** The shipped production stack (Pulumi.production.yaml), for its expected calls. */
const PRODUCTION: Partial<StackConfig> = { stack: "production", environment: "production", stage: "production", hypervisorBatchSize: 2, vipHost: "prd-ctl-01", overcloudImageRegexes: [] };
const WAIT_FOR_STEP_MS = 180_000;

/** Resolves once the stack's journal shows `command` started (the run is then inside that step). */
async function started(ws: Workspace, stack: string, command: RegExp): Promise<void> {
  const deadline = Date.now() + WAIT_FOR_STEP_MS;
  while (!ws.calls(stack).some((call) => command.test(call))) {
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
    assert.ok(!fs.existsSync(alice.file(".pulumi-state")), "and not in the default file backend");

    assert.match(bob.pulumi(["stack", "ls"]).stdout, /^staging\s/m);
    const { stdout } = bob.pulumi(["preview", "--expect-no-changes", "--stack", "staging"]);
    assert.strictEqual(unchanged(stdout), String(planOf(alice.enginePath).length + new Set(planOf(alice.enginePath).map((m) => m.phase)).size + 1));
    assert.deepStrictEqual(bob.journal("staging"), [], "bob ran nothing");
    // The name a StackReference from the production stack reads staging by.
    const outputs = JSON.parse(bob.pulumi(["stack", "output", "--json", "--stack", "organization/kayobe-upgrade/staging"]).stdout);
    assert.strictEqual(outputs.milestones["container-image-pull"].releaseReached, "2024.1");
  });

  it("refuses an up while the other operator's is running, and runs nothing twice", async () => {
    alice.stack("production");
    bob.pulumi(["stack", "select", "production"]);
    const running = alice.start(["up", "--yes", "--stack", "production"], { env: { KAYOBE_SIM_SLEEP: "8", KAYOBE_SIM_SLEEP_MATCH: "pulp-repo-sync" } });
    await started(alice, "production", /pulp-repo-sync/);

    const refused = bob.pulumi(["up", "--yes", "--stack", "production"], { expectFailure: true });
    assert.match(refused.stderr, /the stack is currently locked by 1 lock\(s\)/);
    assert.match(refused.stderr, /pulumi cancel/);
    await running;

    assert.deepStrictEqual(bob.journal("production"), [], "bob ran nothing");
    assert.deepStrictEqual(alice.calls("production"), expectedCalls(planOf(alice.enginePath, PRODUCTION)));
    bob.pulumi(["preview", "--expect-no-changes", "--stack", "production"]);
  });
});
