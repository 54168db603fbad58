import * as assert from "assert";
import { hostsNeedingReboot } from "../../resources/executor/run-commands";

describe("reboot decision", () => {
  it("names the hosts whose output says a reboot is required", () => {
    const output = [
      "stg-cmp-01 | CHANGED | rc=0 >>",
      "Core libraries or services have been updated since boot-up:",
      "  * kernel",
      "",
      "Reboot is required to fully utilize these updates.",
      "stg-cmp-02 | CHANGED | rc=0 >>",
      "No core libraries or services have been updated since boot-up.",
      "Reboot should not be necessary.",
      "ok: [stg-seed-01] => {",
      '    "msg": "*** System restart required ***"',
    ].join("\n");
    assert.deepStrictEqual(hostsNeedingReboot(output), ["stg-cmp-01", "stg-seed-01"]);
  });

  it("finds none when no host needs one", () => {
    assert.deepStrictEqual(hostsNeedingReboot("h1 | CHANGED | rc=0 >>\nReboot should not be necessary.\n"), []);
  });
});
