import * as assert from "assert";
import { judgeRebootCheck } from "../../resources/executor/reboot-check";

// kayobe's output as its host-command-run playbook prints it (the simulator's ad-hoc form, then real ansible's).
const OUTPUT = [
  "PLAY [Run a command] ***",
  "TASK [Run a command] ***",
  'fatal: [stg-cmp-01]: FAILED! => {"changed": true, "cmd": "needs-restarting -r", "rc": 1, "stderr": "", "stdout": "Core libraries or services have been updated since boot-up:\\n  * kernel\\n\\nReboot is required to fully utilize these updates."}',
  "changed: [stg-cmp-02]",
  "TASK [Print stdout] ***",
  "stg-cmp-02 | CHANGED | rc=0 >>",
  "No core libraries or services have been updated since boot-up.",
  "Reboot should not be necessary.",
  "ok: [stg-seed-01] => {",
  '    "msg": "*** System restart required ***"',
  "}",
  "PLAY RECAP ***",
  "stg-cmp-01                 : ok=0    changed=0    unreachable=0    failed=1",
  "stg-cmp-02                 : ok=2    changed=1    unreachable=0    failed=0",
  "stg-seed-01                : ok=2    changed=1    unreachable=0    failed=0",
].join("\n");

const MISSING = [
  "TASK [Run a command] ***",
  'fatal: [stg-ctl-02]: FAILED! => {"changed": true, "cmd": "needs-restarting -r", "msg": "non-zero return code", "rc": 127, "stderr": "/bin/sh: needs-restarting: command not found", "stdout": ""}',
  "changed: [stg-ctl-03]",
  "stg-ctl-03 | CHANGED | rc=0 >>",
  "Reboot should not be necessary.",
  "PLAY RECAP ***",
  "stg-ctl-02                 : ok=0    changed=0    unreachable=0    failed=1",
  "stg-ctl-03                 : ok=1    changed=1    unreachable=0    failed=0",
  "stg-ctl-04                 : ok=0    changed=0    unreachable=1    failed=0",
].join("\n");

describe("reboot decision", () => {
  it("reboots the hosts whose answer says a reboot is required, from a failed host's stdout too", () => {
    assert.deepStrictEqual(judgeRebootCheck(OUTPUT, {}), { reboot: ["stg-cmp-01", "stg-seed-01"], decision: "reboot required on stg-cmp-01, stg-seed-01" });
  });

  it("reboots none when every host says no", () => {
    assert.deepStrictEqual(judgeRebootCheck("h1 | CHANGED | rc=0 >>\nReboot should not be necessary.\n", {}), { reboot: [], decision: "no reboot required" });
  });

  it("stops at a host that cannot answer or says nothing, naming each, what it said and the setting that decides", () => {
    assert.deepStrictEqual(judgeRebootCheck(MISSING, {}), {
      refusal:
        'no answer whether stg-ctl-02, stg-ctl-04 need a reboot (stg-ctl-02 said "(exit code 127: /bin/sh: needs-restarting: command not found)"; stg-ctl-04 said "nothing"); decide: bin/pulumi config set --path \'kayobe-upgrade:rebootWithoutAnswer["stg-ctl-02"]\' reboot and bin/pulumi config set --path \'kayobe-upgrade:rebootWithoutAnswer["stg-ctl-04"]\' reboot (or "no reboot" once you have checked the running kernel by hand), or install what answers (needs-restarting, from dnf-utils), then up again',
    });
    assert.deepStrictEqual(judgeRebootCheck("", {}), { refusal: "no host answered whether it needs a reboot" });
  });

  it("follows the stack's decision for a host without an answer, and never overrules one that answers", () => {
    assert.deepStrictEqual(judgeRebootCheck(MISSING, { "stg-ctl-02": "reboot", "stg-ctl-04": "no reboot", "stg-ctl-03": "reboot" }), {
      reboot: ["stg-ctl-02"],
      decision: "reboot required on stg-ctl-02; stg-ctl-02 did not answer, reboot as kayobe-upgrade:rebootWithoutAnswer decides; stg-ctl-04 did not answer, no reboot as kayobe-upgrade:rebootWithoutAnswer decides",
    });
  });

  it("does not read the check's own words in a failed host's command line as its answer", () => {
    const ubuntu = 'fatal: [u1]: FAILED! => {"cmd": "if [ -e /var/run/reboot-required ]; then cat /var/run/reboot-required; else echo \\"Reboot should not be necessary\\"; fi", "rc": 1, "stderr": "cat: Permission denied", "stdout": ""}';
    assert.ok("refusal" in judgeRebootCheck(ubuntu, {}));
  });
});
