// What makes or touches a stack: the sample passphrase never encrypts a stack the
// project does not ship nor any new secret, and the helper scripts make no stack.
import * as assert from "assert";
import { spawnSync } from "child_process";
import { Workspace } from "./workspace";

describe("stacks made only on purpose", function () {
  const ws = new Workspace();
  // bin/pulumi falls back to the sample passphrase when the operator gives none.
  const withoutPassphrase = { PULUMI_CONFIG_PASSPHRASE_FILE: "" };
  const stacks = () => ws.pulumi(["stack", "ls", "--json"]).stdout;
  const script = (name: string, stack: string) => spawnSync("bash", [`scripts/${name}.sh`, stack], { cwd: ws.root, env: ws.environment(), encoding: "utf8" });

  before(() => ws.stack("staging"));

  it("refuses to create a stack of the operator's with the sample passphrase, and says how", () => {
    const { code, stderr } = ws.pulumi(["stack", "init", "site-staging"], { env: withoutPassphrase, expectFailure: true });
    assert.strictEqual(code, 2);
    assert.match(stderr, /refusing to create stack "site-staging" with the sample passphrase/);
    assert.match(stderr, /export PULUMI_CONFIG_PASSPHRASE_FILE=\/path\/to\/your\/passphrase/);
    assert.doesNotMatch(stacks(), /site-staging/);
  });

  it("refuses to set a secret with the sample passphrase, even on a shipped stack", () => {
    const { stderr } = ws.pulumi(["config", "set", "--secret", "kayobe-upgrade:vaultPassword", "the-real-one", "--stack", "staging"], { env: withoutPassphrase, expectFailure: true });
    assert.match(stderr, /refusing to set a secret on stack "staging" with the sample passphrase/);
  });

  it("refuses a stack with settings but not on the backend, saying how to create it, and creates none", () => {
    const run = script("plan", "production");
    assert.strictEqual(run.status, 2, run.stderr);
    assert.match(run.stderr, /stack "production": kayobe-upgrade:vaultPassword: cannot be decrypted: the stack is not on the backend yet \(stacks there: staging\); create it with bin\/pulumi stack select --create production/);
    assert.doesNotMatch(stacks(), /production/);
  });

  it("creates the shipped stacks with it, and the operator's with their own passphrase", () => {
    ws.pulumi(["stack", "select", "--create", "production"], { env: withoutPassphrase });
    ws.pulumi(["stack", "init", "site-staging"], { env: { PULUMI_CONFIG_PASSPHRASE: "the site's own" } });
    ws.pulumi(["config", "set", "--secret", "kayobe-upgrade:vaultPassword", "the-real-one", "--stack", "site-staging"], { env: { PULUMI_CONFIG_PASSPHRASE: "the site's own" } });
  });

  for (const name of ["plan", "preflight"]) {
    it(`scripts/${name}.sh refuses an unknown stack, listing the stacks, and makes none`, () => {
      const before = stacks();
      const run = script(name, "prodution");
      assert.strictEqual(run.status, 2, run.stderr);
      assert.match(run.stderr, /stack "prodution": Pulumi\.prodution\.yaml: no such stack in \S+; did you mean production\? Stacks: production, site-staging, staging\./);
      assert.strictEqual(stacks(), before);
    });
  }

  it("reads a secret set with --secret --path as a secret in the helper scripts", () => {
    ws.pulumi(["config", "set", "--secret", "--path", "kayobe-upgrade:kayobeSecretEnv.OS_PASSWORD", "s3cret", "--stack", "staging"]);
    const run = script("preflight", "staging");
    assert.strictEqual(run.status, 0, run.stderr);
    assert.match(run.stdout, /^stack "staging", source release 2023\.1: all \d+ commands accepted by kayobe 14\.5\.0 .*\nstack "staging", target release 2024\.1: all \d+ commands accepted by kayobe 16\.8\.0 /);
  });
});
