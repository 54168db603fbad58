import { PREFLIGHT } from "../preflight/preflight-step";
import { NAMESPACE } from "../config/settings";
import { canonicalJson, Milestone } from "../runbook/plan";

/** A milestone's record in a stack's `progress` output. */
export interface MilestoneProgress {
  phase: string;
  /** The step it is an instance of: hosts differ between environments, steps do not. */
  step: string;
  release: string;
  fingerprint: string;
  completedAt: string;
  /** The step's settings (Step.settings) it completed with, where the plan has some. */
  settings?: Record<string, unknown>;
}

export type Progress = Record<string, MilestoneProgress>;

/** Whether staging has shown the way for one of production's milestones. */
export interface Gate {
  staging: string;
  satisfied: boolean;
  /** The staging milestones (or steps) not completed at this release and fingerprint. */
  missing: string[];
  /** The settings this stack runs the step with that staging did not, each with both values. */
  differs?: string[];
  /** Why the gate is overridden, when it is (an emergency). */
  override?: string;
}

/** Steps that check the environment they run in: staging has nothing to show for them. */
const ENVIRONMENT_CHECKS = [PREFLIGHT];

/** Package updates run per host or batch, whose names differ between environments. */
const PER_HOST = /^(overcloud-host-package-update)-.+$/;

/**
 * The step a milestone is an instance of, as staging and production share it. Promoting
 * host package content is what staging's repository sync proved.
 */
export function stepOf(name: string): string {
  if (name === "pulp-repo-promote-production") return "pulp-repo-sync";
  return hostStepOf(name);
}

/** The step a per-host (or per-batch) milestone is an instance of; any other milestone is its own. */
export function hostStepOf(name: string): string {
  return PER_HOST.exec(name)?.[1] ?? name;
}

/**
 * Production carries out a milestone only when staging completed every milestone of the
 * same step at the same release and configuration fingerprint.
 */
export function gateFor(milestone: Milestone, release: string, staging: { name: string; progress: Progress }, override?: string): Gate {
  const step = stepOf(milestone.name);
  // Checks of this environment's own plan and kayobe prove nothing in another one.
  if (ENVIRONMENT_CHECKS.includes(step)) return { staging: staging.name, satisfied: true, missing: [] };
  const instances = Object.entries(staging.progress).filter(([, p]) => p.step === step);
  const behind = instances.filter(([, p]) => p.release !== release || p.fingerprint !== milestone.fingerprint);
  const missing = instances.length === 0 ? [step] : behind.map(([name]) => name);
  const differs = [...new Set(behind.flatMap(([, p]) => settingsDiffering(milestone.settings, p.settings)))];
  return { staging: staging.name, satisfied: missing.length === 0, missing, ...(differs.length > 0 ? { differs } : {}), ...(override !== undefined ? { override } : {}) };
}

/** Each setting whose value here is not staging's, as `kayobe-upgrade:KEY is ... on staging, ... here`. */
function settingsDiffering(here: Record<string, unknown> | undefined, staging: Record<string, unknown> | undefined): string[] {
  if (here === undefined || staging === undefined) return [];
  return Object.keys(here)
    .filter((key) => canonicalJson(here[key] ?? null) !== canonicalJson(staging[key] ?? null))
    .map((key) => `${NAMESPACE}:${key} is ${canonicalJson(staging[key] ?? null)} on staging, ${canonicalJson(here[key] ?? null)} here`);
}
