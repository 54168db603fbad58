// The kayobe a step runs with must be of the release the step runs at: the venv's kayobe
// is the source release's until the runbook reinstalls it, and the target's after.
import { spawnSync } from "child_process";
import type { Command } from "../runbook/phases";
import { isSeries, RELEASES, seriesOfKayobe } from "../runbook/releases";

/** Whether a step calls kayobe: directly, or through the kayobe-config's own scripts ($KAYOBE_CONFIG_PATH/../../tools), which do. */
export function callsKayobe(commands: Command[]): boolean {
  return commands.some((command) => {
    if (Array.isArray(command)) return command[0] === "kayobe" || command[0].startsWith("$KAYOBE_CONFIG_PATH");
    switch (command.kind) {
      case "reboot-if-required":
        return callsKayobe([command.check]);
      case "with-openrc":
        return callsKayobe([command.argv]);
      case "if-still-to-do":
        return callsKayobe([command.look, ...command.then]);
      case "until-healthy":
        return callsKayobe(command.checks.map((check) => check.argv));
      default:
        return false;
    }
  });
}

/** Why the kayobe at `kayobeBin` cannot run a step of `release`, if it cannot, as `kayobe --version` answers. */
export function kayobeReleaseProblem(kayobeBin: string, env: NodeJS.ProcessEnv, release: string): string | undefined {
  const answer = spawnSync(kayobeBin, ["--version"], { env, encoding: "utf8", timeout: 120000 });
  // A kayobe that cannot be started at all is said so by the step's first command.
  if (answer.error !== undefined && "code" in answer.error && answer.error.code !== "ETIMEDOUT") return undefined;
  const version = /^kayobe (\S+)$/m.exec(`${answer.stdout ?? ""}${answer.stderr ?? ""}`)?.[1];
  if (version === undefined) return `\`${kayobeBin} --version\` did not say which kayobe it is (exit ${answer.status ?? answer.error?.message}), so it is unknown whether it is a kayobe of ${release}, where this step runs`;
  const series = seriesOfKayobe(version);
  if (series === release) return undefined;
  const what = `${kayobeBin} is kayobe ${version}${series === undefined ? "" : `, of ${series}`}, and this step runs at ${release}`;
  if (series !== undefined && isSeries(release) && RELEASES.findIndex((r) => r.series === series) > RELEASES.findIndex((r) => r.series === release)) {
    return `${what}: the Prerequisites run before the reinstall, with the kayobe of ${release}; point kayobe-upgrade:kayobeBin at one (a virtualenv with ${release}'s requirements.txt), or record the step in kayobe-upgrade:doneByHand`;
  }
  return `${what}: the runbook reinstalls kayobe from ${release}'s requirements.txt before the control host upgrade (kayobe-environment-reinstall, planned when kayobe-upgrade:kayobeVenv is known); reinstall it, or point kayobe-upgrade:kayobeBin at a kayobe of ${release}`;
}
