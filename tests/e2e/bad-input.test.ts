import * as assert from "assert";
import { Workspace } from "./workspace";

describe("bad stack config on the real engine", function () {
  const ws = new Workspace();
  const stack = "broken";

  before(() => {
    ws.stack(stack);
    ws.setConfig(stack, "kayobeBin", "simulator/kayobe");
    ws.setConfig(stack, "kayobeConfigPath", "samples/kayobe-config/etc/kayobe");
    ws.setConfig(stack, "environment", "staging");
    ws.setConfig(stack, "vaultPassword", "secret-for-broken", true);
  });

  function refusal(): string {
    const { stdout, stderr } = ws.pulumi(["preview", "--stack", stack], { expectFailure: true });
    const output = stdout + stderr;
    assert.doesNotMatch(output, /^\s+at /m, "no stack trace");
    assert.deepStrictEqual(ws.journal(stack), [], "no kayobe call");
    return output;
  }

  it("names the missing key and what it expects", () => {
    assert.match(refusal(), /stack "broken": kayobe-upgrade:targetRelease: is not set; expected an OpenStack release series such as 2024\.1/);
  });

  it("names a wrong value and the values it accepts", () => {
    ws.setConfig(stack, "targetRelease", "caracal");
    assert.match(refusal(), /stack "broken": kayobe-upgrade:targetRelease: expected one of 2023\.1, 2024\.1, 2025\.1 \(got "caracal"\)/);
  });

  it("refuses a kayobe-config that targets another release, saying both", () => {
    ws.setConfig(stack, "targetRelease", "2025.1");
    assert.match(refusal(), /the stack targets 2025\.1 but the kayobe-config at \S+ targets 2024\.1/);
  });

  it("refuses an environment the kayobe-config does not have", () => {
    ws.setConfig(stack, "targetRelease", "2024.1");
    ws.setConfig(stack, "environment", "stagign");
    assert.match(refusal(), /kayobe-upgrade:environment: expected a kayobe environment, but \S+stagign does not exist \(environments there: production, staging\)/);
  });
});
