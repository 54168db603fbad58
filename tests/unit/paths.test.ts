import * as assert from "assert";
import * as path from "path";
import { refuseOptionLikeValues } from "../../resources/checks/command-line";
import { checkPaths } from "../../resources/config/paths";
import { StackConfig } from "../../resources/config/stack-config";
import type { Milestone } from "../../resources/runbook/plan";
import { PROJECT, stagingConfig } from "./fixtures";

const README = path.join(PROJECT, "README.md");

describe("the stack's paths, at preview", () => {
  it("accepts the shipped staging stack's", () => {
    assert.doesNotThrow(() => checkPaths(stagingConfig()));
  });

  const refusals: [string, Partial<StackConfig>, string][] = [
    ["a kayobe that does not exist", { kayobeBin: "/nonexistent/bin/kayobe" }, "kayobe-upgrade:kayobeBin: expected the kayobe executable, but /nonexistent/bin/kayobe does not exist"],
    ["a kayobe that is not executable", { kayobeBin: README }, `kayobe-upgrade:kayobeBin: expected the kayobe executable, but ${README} is not an executable file`],
    ["a kayobe name not on PATH", { kayobeBin: "kayobe-nowhere" }, 'kayobe-upgrade:kayobeBin: "kayobe-nowhere" is not found on PATH; set it to the path of the kayobe executable, e.g. /opt/kayobe/venvs/kayobe/bin/kayobe'],
    [
      "a virtualenv without pip",
      { safety: { ...stagingConfig().safety, kayobePip: "/nonexistent/bin/pip" } },
      "kayobe-upgrade:kayobeVenv: expected the Kayobe virtualenv, whose bin/pip reinstalls kayobe's requirements, but /nonexistent/bin/pip does not exist (kayobeVenv defaults to the folder above kayobeBin's); set kayobe-upgrade:kayobeVenv to the virtualenv",
    ],
    [
      "a preflight kayobe that does not exist",
      { preflightKayobeBin: "/nonexistent/kayobe" },
      "kayobe-upgrade:preflightKayobeBin: expected a kayobe installed in a virtualenv, whose parser the preflight consults, but /nonexistent/kayobe is not an executable file (scripts/ensure-kayobe.sh installs kayobe 16.8.0 for the shipped stacks)",
    ],
    ["logs under /proc, where mkdir loops", { logDir: "/proc/kayobe-logs" }, "kayobe-upgrade:logDir: expected a folder this user can write logs in, but /proc is on a kernel pseudo file system (wanted /proc/kayobe-logs)"],
    ["logs under /sys", { logDir: "/sys/kernel/kayobe" }, "kayobe-upgrade:logDir: expected a folder this user can write logs in, but /sys/kernel is on a kernel pseudo file system (wanted /sys/kernel/kayobe)"],
    ["logs under a file", { logDir: `${README}/logs` }, `kayobe-upgrade:logDir: expected a folder this user can write logs in, but ${README} is not a folder (wanted ${README}/logs)`],
  ];
  for (const [what, overrides, message] of refusals) {
    it(`refuses ${what}, naming the stack and the key`, () => {
      assert.throws(() => checkPaths(stagingConfig(overrides)), { name: "ConfigError", message: `stack "staging": ${message}` });
    });
  }
});

describe("values kayobe would read as options", () => {
  const planRunning = (argv: string[]): Milestone[] => [{ name: "host-update", phase: "Upgrading the Overcloud", side: "target", title: "t", commands: [argv], risk: "safe", drivenBy: [], dependsOn: [], fingerprint: "0" }];

  it("refuses an inventory host named -e, naming the milestone and the command", () => {
    assert.throws(() => refuseOptionLikeValues(stagingConfig(), planRunning(["kayobe", "overcloud", "host", "package", "update", "--packages", "*", "--limit", "-e"])), {
      name: "ConfigError",
      message:
        'stack "staging": kayobe-upgrade:kayobeConfigPath: host-update would run "kayobe overcloud host package update --packages * --limit -e", where kayobe reads "-e" as an option, not as the value of --limit; rename the host or group "-e" in the kayobe-config\'s inventory',
    });
  });

  it("refuses a tag read as an option after -kt", () => {
    assert.throws(() => refuseOptionLikeValues(stagingConfig(), planRunning(["kayobe", "overcloud", "service", "upgrade", "-kt", "-v"])), /reads "-v" as an option, not as the value of -kt/);
  });

  it("accepts options that take no value", () => {
    assert.doesNotThrow(() => refuseOptionLikeValues(stagingConfig(), planRunning(["kayobe", "overcloud", "host", "configure", "--check", "--diff", "--limit", "ctl-01"])));
  });
});
