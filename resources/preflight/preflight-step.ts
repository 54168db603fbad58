// The preflight milestone at the head of the graph: everything else waits for it.
import type { Sides } from "../config/sides";
import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";
import type { Preflight } from "../runbook/phases";
import { fingerprint, Milestone } from "../runbook/plan";
import { checkables, pythonNextTo } from "./check-commands";

export const PREFLIGHT = "preflight";

/**
 * The preflight's commands: the plan's commands of each side, for that side's preflight
 * kayobe to judge. A side that waits for its configuration is checked once it has it:
 * its steps cannot run before, and the configuration there is not theirs.
 */
export function preflightCommands(config: StackConfig, sides: Sides, plan: Milestone[]): Preflight[] {
  const kayobeBin = { source: config.sourcePreflightKayobeBin, target: config.preflightKayobeBin };
  return (["source", "target"] as const)
    .filter((side) => sides.waiting[side] === undefined)
    .map((side): Preflight => ({ kind: "preflight", side, release: sides.releases[side], kayobeBin: kayobeBin[side], kayobeConfigPath: sides[side].configPath, checks: checkables(plan.filter((m) => m.side === side)) }))
    .filter((preflight) => preflight.checks.length > 0);
}

/**
 * `plan` with the preflight in front, the milestones that waited for nothing waiting for
 * it. Its fingerprint is the digest of what it checks: a plan whose commands keep their
 * shapes is not checked again.
 */
export function withPreflight(config: StackConfig, sides: Sides, plan: Milestone[]): Milestone[] {
  const commands = preflightCommands(config, sides, plan);
  const preflight: Milestone = {
    name: PREFLIGHT,
    phase: "Prerequisites",
    side: "both",
    title: "Check every command of the plan against the kayobe of its release",
    commands,
    risk: "safe",
    drivenBy: [],
    dependsOn: [],
    fingerprint: fingerprint(commands),
  };
  return [preflight, ...plan.map((m) => (m.dependsOn.length === 0 ? { ...m, dependsOn: [PREFLIGHT] } : m))];
}

/** Refuses, before anything runs, a preflight kayobe whose parser cannot be consulted. */
export function checkPreflightKayobe(config: StackConfig): void {
  for (const [key, bin] of [["preflightKayobeBin", config.preflightKayobeBin], ["sourcePreflightKayobeBin", config.sourcePreflightKayobeBin]]) {
    if (pythonNextTo(bin) !== undefined) continue;
    throw new ConfigError(
      config.stack,
      `kayobe-upgrade:${key}`,
      `expected a kayobe installed in a virtualenv, with the virtualenv's python next to it, but there is none next to ${bin} (defaults to kayobeBin; scripts/ensure-kayobe.sh VERSION installs one from PyPI, as it does 14.5.0 and 16.8.0 for the shipped stacks)`,
    );
  }
}
