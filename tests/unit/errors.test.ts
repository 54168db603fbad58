import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../resources/errors";
import { asRunError } from "../../resources/program";

describe("errors as the engine shows them", () => {
  it("gives bad input the message alone, as the program's own error, without a stack trace", () => {
    const shown = asRunError(new ConfigError("staging", "kayobe-upgrade:stage", 'expected staging or production (got "prod")'));
    assert.ok(shown instanceof pulumi.RunError);
    assert.strictEqual((shown as Error).message, 'stack "staging": kayobe-upgrade:stage: expected staging or production (got "prod")');
    assert.doesNotMatch((shown as Error).stack ?? "", /^\s+at /m);
  });

  it("leaves a bug as it is, with its stack trace", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'hosts')");
    assert.strictEqual(asRunError(bug), bug);
    assert.match(bug.stack ?? "", /^\s+at .*errors\.test\.ts/m);
  });
});
