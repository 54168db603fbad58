import { createHash } from "crypto";
import { KayobeConfig } from "../config/kayobe-config";
import { StackConfig } from "../config/stack-config";
import { withDatabaseBackups } from "./backups";
import { cleaningUpSteps } from "./cleaning-up";
import { overcloudSteps } from "./overcloud";
import { Driver, Phase, PHASES, PlanInput, present, Side, sideOf, Step } from "./phases";
import { preparationSteps } from "./preparation";
import { prerequisiteSteps } from "./prerequisites";
import { seedHypervisorSteps, seedSteps } from "./seed";
import { smokeTestSteps } from "./smoke-tests";
import { transitionTo } from "./transitions";
import { wazuhAgentSteps, wazuhManagerSteps } from "./wazuh";

/** A step of this stack's upgrade, placed in the graph. */
export interface Milestone extends Step {
  /** Whose configuration and kayobe it runs with; the preflight checks both. */
  side: Side | "both";
  /** The milestones that must be done first. */
  dependsOn: string[];
  /** Digest of the configuration the step depends on (its drivers). */
  fingerprint: string;
}

const PLANNERS: Record<Phase, (input: PlanInput) => Step[]> = {
  Prerequisites: prerequisiteSteps,
  Preparation: preparationSteps,
  "Upgrading the Seed Hypervisor": seedHypervisorSteps,
  "Upgrading the Seed": seedSteps,
  "Upgrading Wazuh Manager": wazuhManagerSteps,
  "Upgrading Wazuh Agents": wazuhAgentSteps,
  "Upgrading the Overcloud": overcloudSteps,
  "Cleaning up": cleaningUpSteps,
};

/** Phases the runbook lets run in any order once Preparation is complete. */
const ANY_ORDER: Phase[] = ["Upgrading the Seed Hypervisor", "Upgrading the Seed", "Upgrading Wazuh Manager", "Upgrading Wazuh Agents", "Upgrading the Overcloud"];

/** An order between two phases that holds even when they run side by side. */
export interface PhaseOrder {
  before: Phase;
  after: Phase;
  why: string;
}

/** What "any order" cannot mean: each `after` phase starts once its `before` phase is complete. */
export const PHASE_ORDER: PhaseOrder[] = [
  { before: "Upgrading Wazuh Manager", after: "Upgrading Wazuh Agents", why: "the agents report to the manager, which is upgraded first" },
  { before: "Upgrading the Seed Hypervisor", after: "Upgrading the Seed", why: "the seed is a VM on the seed hypervisor: nothing runs on it while the seed hypervisor may reboot" },
];

/**
 * The upgrade plan: a pure function of the stack's config, its kayobe-configs (the
 * target release's and the source release's, resources/config/sides.ts) and the names of
 * the milestones it has recorded (batches stay as they were made). Steps within a
 * phase form a chain. The phases form one too, in the runbook's order, unless
 * `parallelPhases` lets those after Preparation run side by side.
 */
export function planUpgrade(config: StackConfig, target: KayobeConfig, source: KayobeConfig = target, recorded: string[] = []): Milestone[] {
  transitionTo(config);
  const inputOf = (phase: Phase) => ({ config, kayobe: sideOf(phase) === "source" ? source : target, recorded });
  const phases = PHASES.map((phase) => {
    const steps = withDatabaseBackups(phase, PLANNERS[phase](inputOf(phase)), config.safety.databaseBackups);
    return { phase, steps: [...steps, ...smokeTestSteps(config, phase, steps)] };
  }).filter(({ steps }) => steps.length > 0);
  const lastOf = (phase: Phase) => phases.find((p) => p.phase === phase)?.steps.at(-1)?.name;
  const milestones: Milestone[] = [];
  let previous: string[] = [];
  /** Where a phase run side by side starts: after the phases it must follow, or else Preparation. */
  const startOf = (phase: Phase) => {
    const first = present(PHASE_ORDER.filter((order) => order.after === phase).map((order) => lastOf(order.before) ?? false));
    return first.length > 0 ? first : present([lastOf("Preparation") ?? false]);
  };
  for (const { phase, steps } of phases) {
    const concurrent = config.parallelPhases && ANY_ORDER.includes(phase);
    const after = concurrent ? startOf(phase) : config.parallelPhases && phase === "Cleaning up" ? present(ANY_ORDER.map((p) => lastOf(p) ?? false)) : previous;
    steps.forEach((step, index) => {
      milestones.push({
        ...step,
        side: sideOf(phase),
        dependsOn: index === 0 ? after : [steps[index - 1].name],
        fingerprint: fingerprint([...step.drivenBy.map((driver) => [driver, driverValue(driver, config, inputOf(phase).kayobe)]), ...settingsCounted(step)]),
      });
    });
    previous = [steps[steps.length - 1].name];
  }
  return milestones;
}

/**
 * A step's settings as its fingerprint counts them: those set, so that a stack setting
 * none keeps the fingerprints it recorded before settings counted (its done steps stay done).
 */
function settingsCounted(step: Step): [string, unknown][] {
  const set = Object.entries(step.settings ?? {}).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0));
  return set.length === 0 ? [] : [["settings", Object.fromEntries(set)]];
}

function driverValue(driver: Driver, config: StackConfig, kayobe: KayobeConfig): unknown {
  switch (driver) {
    case "release":
      return config.targetRelease;
    case "pulpRepoVersions":
      return pick(kayobe.vars, (key) => /^stackhpc_pulp_.*_version$/.test(key));
    case "imageTags":
      return [pick(kayobe.vars, (key) => key === "kolla_image_tags" || key.endsWith("_tag")), pick(kayobe.kollaGlobals, (key) => key.endsWith("_tag"))];
    case "kayobeRequirements":
      return kayobe.requirements ?? null;
  }
}

function pick(vars: Record<string, unknown>, wanted: (key: string) => boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).filter(([key]) => wanted(key)));
}

export function fingerprint(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 16);
}

/** JSON with object keys sorted, so equal configurations give equal fingerprints. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
