import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";
import { checkables } from "../preflight/check-commands";
import type { Milestone } from "../runbook/plan";

/** kayobe's options whose values come from the stack or the kayobe-config: hosts, groups, tags. */
const VALUE_OPTIONS = ["--limit", "-l", "--kolla-limit", "-kl", "--tags", "-t", "--kolla-tags", "-kt", "--skip-tags", "-st", "--kolla-skip-tags", "-kst"];

/**
 * Refuses a plan in which a host, group or tag would be read by kayobe as an option
 * (an inventory host named "-e" makes `--limit -e` an --extra-vars), before it runs.
 */
export function refuseOptionLikeValues(config: StackConfig, plan: Milestone[]): void {
  for (const { milestone, argv } of checkables(plan)) {
    const at = argv.findIndex((arg, i) => i > 0 && VALUE_OPTIONS.includes(argv[i - 1]) && arg.startsWith("-"));
    if (at === -1) continue;
    throw new ConfigError(
      config.stack,
      "kayobe-upgrade:kayobeConfigPath",
      `${milestone} would run "${argv.join(" ")}", where kayobe reads "${argv[at]}" as an option, not as the value of ${argv[at - 1]}; rename the host or group "${argv[at]}" in the kayobe-config's inventory`,
    );
  }
}
