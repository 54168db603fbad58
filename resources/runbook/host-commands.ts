// The commands the runbook repeats for each kind of host (seed hypervisor, seed, infra
// VMs, overcloud), written once. `words` is kayobe's name for the kind of host, e.g.
// ["seed", "hypervisor"]; `limit` the runbook's limit arguments, if any.
import * as path from "path";
import { Command, Phase, playbook, RebootIfRequired, Step } from "./phases";

export function packageUpdate(words: string[], limit: string[] = []): string[] {
  return ["kayobe", ...words, "host", "package", "update", "--packages", "*", ...limit];
}

/** Asks the hosts in `limit` whether a reboot is required, then reboots `target` if one is. */
export function rebootWhenNeeded(words: string[], check: string, target: string, limit: string[] = []): RebootIfRequired {
  return {
    kind: "reboot-if-required",
    check: ["kayobe", ...words, "host", "command", "run", "--command", check, "--show-output", ...limit],
    reboot: ["kayobe", "playbook", "run", playbook("reboot"), "-l", target],
  };
}

export function hostUpgrade(words: string[]): string[] {
  return ["kayobe", ...words, "host", "upgrade"];
}

/** Check mode first, as the runbook advises for host configuration. */
export function configureCheck(words: string[], limit: string[] = []): Command {
  return ["kayobe", ...words, "host", "configure", "--check", "--diff", ...limit];
}

export function configure(words: string[], limit: string[] = []): Command {
  return ["kayobe", ...words, "host", "configure", ...limit];
}

/**
 * The runbook's check of the host configuration, then the configuration: what check mode
 * would change is written to `<workDir>/reviews/<check>.diff`, and the configuration
 * waits for the operator to approve it (nothing to approve when nothing would change).
 */
export function configureSteps(prefix: string, phase: Phase, words: string[], workDir: string, limit: string[] = []): [Step, Step] {
  const check = `${prefix}-host-configure-check`;
  return [
    {
      name: check,
      phase,
      title: "Check host configuration (check mode)",
      commands: [configureCheck(words, limit)],
      risk: "safe",
      drivenBy: ["release"],
      toReview: { kind: "check-mode", file: path.join(workDir, "reviews", `${check}.diff`) },
    },
    { name: `${prefix}-host-configure`, phase, title: "Configure hosts", commands: [configure(words, limit)], risk: "at risk", drivenBy: ["release"], gatedBy: check },
  ];
}

/** A command on the overcloud hosts of `limit`, with root's rights (docker needs them), as StackHPC's tools/upgrade-prerequisites.sh runs one. */
export function onHosts(limit: string, command: string, showOutput = false): string[] {
  return ["kayobe", "overcloud", "host", "command", "run", "-l", limit, "-b", "--command", command, ...(showOutput ? ["--show-output"] : [])];
}
