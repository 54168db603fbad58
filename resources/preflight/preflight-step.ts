// The preflight milestone at the head of the graph: everything else waits for it.
import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";
import type { Preflight } from "../runbook/phases";
import { fingerprint, Milestone } from "../runbook/plan";
import { checkables, pythonNextTo } from "./check-commands";

export const PREFLIGHT = "preflight";

/** The preflight's command: the plan's commands, for the stack's preflight kayobe to judge. */
export function preflightCommand(config: StackConfig, plan: Milestone[]): Preflight {
  return { kind: "preflight", kayobeBin: config.preflightKayobeBin, checks: checkables(plan) };
}

/**
 * `plan` with the preflight in front, the milestones that waited for nothing waiting for
 * it. Its fingerprint is the digest of what it checks: a plan whose commands keep their
 * shapes is not checked again.
 */
export function withPreflight(config: StackConfig, plan: Milestone[]): Milestone[] {
  const command = preflightCommand(config, plan);
  const preflight: Milestone = {
    name: PREFLIGHT,
    phase: "Prerequisites",
    title: "Check every command of the plan against the installed kayobe",
    commands: [command],
    risk: "safe",
    drivenBy: [],
    dependsOn: [],
    fingerprint: fingerprint(command),
  };
  return [preflight, ...plan.map((m) => (m.dependsOn.length === 0 ? { ...m, dependsOn: [PREFLIGHT] } : m))];
}

/** Refuses, before anything runs, a preflight kayobe whose parser cannot be consulted. */
export function checkPreflightKayobe(config: StackConfig): void {
  if (pythonNextTo(config.preflightKayobeBin) === undefined) {
    throw new ConfigError(
      config.stack,
      "kayobe-upgrade:preflightKayobeBin",
      `expected a kayobe installed in a virtualenv, with the virtualenv's python next to it, but there is none next to ${config.preflightKayobeBin} (defaults to kayobeBin; scripts/ensure-kayobe.sh installs kayobe 16.8.0 for the shipped stacks)`,
    );
  }
}
