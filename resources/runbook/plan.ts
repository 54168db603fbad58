import { createHash } from "crypto";
import { KayobeConfig } from "../config/kayobe-config";
import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";
import { Driver, Step } from "./phases";
import { preparationSteps } from "./preparation";

/** A step of this stack's upgrade, placed in the graph. */
export interface Milestone extends Step {
  /** The milestones that must be done first. */
  dependsOn: string[];
  /** Digest of the configuration the step depends on (its drivers). */
  fingerprint: string;
}

/**
 * The upgrade plan: a pure function of the stack's config and its kayobe-config. The
 * runbook's order is kept as a chain, so each milestone waits for the one before.
 */
export function planUpgrade(config: StackConfig, kayobe: KayobeConfig): Milestone[] {
  checkRelease(config, kayobe);
  const steps = preparationSteps(kayobe);
  return steps.map((step, index) => ({
    ...step,
    dependsOn: index > 0 ? [steps[index - 1].name] : [],
    fingerprint: fingerprint(step.drivenBy.map((driver) => [driver, driverValue(driver, config, kayobe)])),
  }));
}

function checkRelease(config: StackConfig, kayobe: KayobeConfig): void {
  const configured = kayobe.vars.openstack_release;
  if (configured === undefined) {
    throw new ConfigError(config.stack, "kayobe-upgrade:kayobeConfigPath", `expected openstack_release in ${kayobe.configPath}/openstack.yml, to check it targets ${config.targetRelease}`);
  }
  if (String(configured) !== config.targetRelease) {
    throw new ConfigError(
      config.stack,
      "kayobe-upgrade:targetRelease",
      `the stack targets ${config.targetRelease} but the kayobe-config at ${kayobe.configPath} targets ${String(configured)} (openstack_release); check out the kayobe-config branch for ${config.targetRelease} or change targetRelease`,
    );
  }
}

function driverValue(driver: Driver, config: StackConfig, kayobe: KayobeConfig): unknown {
  switch (driver) {
    case "release":
      return config.targetRelease;
    case "pulpRepoVersions":
      return pick(kayobe.vars, (key) => /^stackhpc_pulp_.*_version$/.test(key));
    case "imageTags":
      return [pick(kayobe.vars, (key) => key === "kolla_image_tags" || key.endsWith("_tag")), pick(kayobe.kollaGlobals, (key) => key.endsWith("_tag"))];
  }
}

function pick(vars: Record<string, unknown>, wanted: (key: string) => boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).filter(([key]) => wanted(key)));
}

function fingerprint(value: unknown): string {
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
