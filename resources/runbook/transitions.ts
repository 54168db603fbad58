import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";
import type { PlanInput, Step } from "./phases";
import { codename, previousSeries, Series } from "./releases";
import { caracalPrerequisites } from "./to-2024.1";

/**
 * An upgrade whose runbook is written, from a release series to the next: what it adds to
 * the phases every upgrade has. Its notable changes are the target release's rules
 * (resources/checks/rules/<series>.ts).
 */
export interface Transition {
  from: Series;
  to: Series;
  /** What the runbook requires on the old release before the upgrade. */
  prerequisites(input: PlanInput): Step[];
}

export const TRANSITIONS: Transition[] = [{ from: "2023.1", to: "2024.1", prerequisites: caracalPrerequisites }];

/**
 * The upgrade a stack's target release calls for. Another release's runbook differs
 * (prerequisites, notable changes): a target without its own is refused rather than
 * upgraded with the steps of another.
 */
export function transitionTo(config: StackConfig): Transition {
  const found = TRANSITIONS.find((t) => t.to === config.targetRelease);
  if (found !== undefined) return found;
  const from = previousSeries(config.targetRelease);
  const written = TRANSITIONS.map((t) => `${t.from} to ${t.to}`).join(", ");
  throw new ConfigError(
    config.stack,
    "kayobe-upgrade:targetRelease",
    `no runbook is written yet for the upgrade to ${config.targetRelease} (${codename(config.targetRelease)})${from === undefined ? "" : ` from ${from}`}, and another upgrade's steps are not its steps; the upgrades written: ${written}`,
  );
}
