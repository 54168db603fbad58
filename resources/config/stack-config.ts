import * as path from "path";
import { ConfigError } from "../errors";
import { isSeries, RELEASES, Series } from "../runbook/releases";
import { parseSafetyConfig, SafetyConfig } from "./safety-config";
import { parseSeedSsh, SeedSsh } from "./seed-ssh";
import { parseSmokeTests, SmokeTests } from "./smoke-tests";

/** The project's config namespace: keys are `kayobe-upgrade:<name>`. */
export const NAMESPACE = "kayobe-upgrade";

/** What a stack's configuration says, validated. Paths are absolute. */
export interface StackConfig {
  stack: string;
  kayobeBin: string;
  /** The kayobe whose argument parser the preflight checks the plan against (default kayobeBin). */
  preflightKayobeBin: string;
  kayobeConfigPath: string;
  environment?: string;
  targetRelease: Series;
  /** Extra environment for kayobe (KOLLA_VENV_PATH, ANSIBLE_SERIAL...). */
  kayobeEnv: Record<string, string>;
  logDir: string;
  /** Scratch space of this stack: the service configuration preview lives here. */
  workDir: string;
  /** A production stack promotes the Pulp content its staging stack tested. */
  stage: "staging" | "production";
  /** Seconds between the RabbitMQ 3.12 and 3.13 upgrades (the runbook's `sleep 200`). */
  rabbitmqUpgradeWait: number;
  /** How many hypervisors update their packages at once. */
  hypervisorBatchSize: number;
  /** The controller holding the VIP, updated last; unknown when unset. */
  vipHost?: string;
  /** Image name regexes for locally built overcloud images (all when empty). */
  overcloudImageRegexes: string[];
  /** Restrict `kayobe overcloud service upgrade` with --tags / --kolla-tags. */
  serviceUpgradeTags?: string;
  serviceUpgradeKollaTags?: string;
  /** Run the phases after Preparation side by side instead of in the runbook's order. */
  parallelPhases: boolean;
  /** The stack whose progress a production stack must follow. */
  stagingStack: string;
  /** Why a production stack may go ahead of staging (an emergency), if it may. */
  promotionOverride?: string;
  /** Secret environment for kayobe (cloud credentials...), kept a secret end to end. */
  kayobeSecretEnv: Record<string, string>;
  /** When steps that cause an API outage may run. */
  maintenanceWindow: MaintenanceWindow;
  /** How long one milestone may take before it is stopped. */
  milestoneTimeoutSeconds: number;
  /** Backups, prerequisite checks, the local Kayobe environment, the kayobe-config's cleanliness. */
  safety: SafetyConfig;
  /** The operator's smoke tests, run after the phases they name. */
  smokeTests: SmokeTests;
  /** Where the seed's Bifrost checks run over SSH; no checks when unset. */
  seedSsh?: SeedSsh;
  /** Milestones the operator did by hand, each with the reason recorded in its place: they never run. */
  doneByHand: Record<string, string>;
}

/** Closed (the default), open until closed again, or open between two instants. */
export type MaintenanceWindow = { state: "closed" } | { state: "open" } | { state: "scheduled"; start: string; end: string };

/**
 * Config values as Pulumi hands them over: strings, structured values as JSON. The
 * vault password is not here: it stays a Pulumi secret and never passes through code
 * that could print it; `vaultPasswordIsSecret` says whether the stack has it as one.
 */
export interface RawStackConfig {
  values: Record<string, string | undefined>;
  vaultPasswordIsSecret: boolean;
  /** Whether kayobeSecretEnv, when set, is a secret (its value is in `values`, never echoed). */
  kayobeSecretEnvIsSecret?: boolean;
  seedSshPrivateKeyIsSecret?: boolean;
}

// Set from the dedicated keys; an operator setting them in kayobeEnv would be overridden silently.
const RESERVED_ENV = ["KAYOBE_CONFIG_PATH", "KAYOBE_ENVIRONMENT", "KAYOBE_VAULT_PASSWORD", "ANSIBLE_VAULT_PASSWORD_FILE"];
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
const TAGS = /^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$/;

export function parseStackConfig(stack: string, raw: RawStackConfig, projectRoot: string): StackConfig {
  const key = (name: string) => `${NAMESPACE}:${name}`;
  const fail = (name: string, expected: string): never => {
    throw new ConfigError(stack, key(name), expected);
  };
  const required = (name: string, what: string): string => {
    const value = raw.values[name];
    if (value === undefined || value.trim() === "") {
      return fail(name, `is not set; expected ${what} (pulumi config set ${key(name)} ... --stack ${stack})`);
    }
    return value;
  };
  const resolve = (value: string) => path.resolve(projectRoot, value);

  const targetRelease = required("targetRelease", "an OpenStack release series such as 2024.1");
  if (!isSeries(targetRelease)) {
    fail("targetRelease", `expected one of ${RELEASES.map((r) => r.series).join(", ")} (got "${targetRelease}")`);
  }

  const kayobeConfigPath = required("kayobeConfigPath", "the etc/kayobe folder of a kayobe-config checkout");

  const environment = raw.values.environment;
  if (environment !== undefined && !ENVIRONMENT_NAME.test(environment)) {
    fail("environment", `expected the name of a folder under etc/kayobe/environments (got "${environment}")`);
  }

  if (raw.values.vaultPassword === undefined) {
    fail("vaultPassword", `is not set; expected the Ansible Vault password as a secret (pulumi config set --secret ${key("vaultPassword")} --stack ${stack})`);
  }
  if (!raw.vaultPasswordIsSecret) {
    fail("vaultPassword", `is stored in plaintext; expected a secret (pulumi config set --secret ${key("vaultPassword")} --stack ${stack})`);
  }

  // A bare name is looked up on PATH, as a shell would; anything with a slash is a path.
  const executable = (value: string) => (value.includes("/") ? resolve(value) : value);
  const kayobeBin = raw.values.kayobeBin ?? "kayobe";
  const stage = raw.values.stage ?? "staging";
  if (stage !== "staging" && stage !== "production") fail("stage", `expected staging or production (got "${stage}")`);
  const integer = (name: string, fallback: number, min: number): number => {
    const value = raw.values[name];
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min) fail(name, `expected a whole number of at least ${min} (got "${value}")`);
    return Number(value);
  };
  const flag = (name: string): boolean => {
    const value = raw.values[name];
    if (value === undefined) return false;
    if (value !== "true" && value !== "false") fail(name, `expected true or false (got "${value}")`);
    return value === "true";
  };
  const hostPattern = (name: string): string | undefined => {
    const value = raw.values[name];
    if (value !== undefined && !HOST_NAME.test(value)) fail(name, `expected a host name from the inventory (got "${value}")`);
    return value;
  };
  const duration = (name: string, fallback: string): number => {
    const value = raw.values[name] ?? fallback;
    const [, amount, unit] = /^(\d+)(s|m|h)$/.exec(value) ?? [];
    if (amount === undefined || Number(amount) === 0) fail(name, `expected a duration such as 90m, 12h or 45s (got "${value}")`);
    return Number(amount) * { s: 1, m: 60, h: 3600 }[unit as "s" | "m" | "h"];
  };
  const tags = (name: string): string | undefined => {
    const value = raw.values[name];
    if (value !== undefined && !TAGS.test(value)) fail(name, `expected comma-separated tags such as config or keystone,nova (got "${value}")`);
    return value;
  };
  const stringList = (name: string) => parseStringList(raw.values[name], (expected) => fail(name, expected));
  const workDir = resolve(path.join(".kayobe-upgrade", stack));
  return {
    stack,
    kayobeBin: executable(kayobeBin),
    preflightKayobeBin: executable(raw.values.preflightKayobeBin ?? kayobeBin),
    kayobeConfigPath: resolve(kayobeConfigPath),
    environment,
    targetRelease: targetRelease as Series,
    kayobeEnv: parseEnvMap(raw.values.kayobeEnv, (expected) => fail("kayobeEnv", expected)),
    logDir: resolve(raw.values.logDir ?? path.join(".kayobe-upgrade", "logs", stack)),
    workDir,
    stage: stage as StackConfig["stage"],
    rabbitmqUpgradeWait: integer("rabbitmqUpgradeWait", 200, 0),
    hypervisorBatchSize: integer("hypervisorBatchSize", 1, 1),
    vipHost: hostPattern("vipHost"),
    overcloudImageRegexes: stringList("overcloudImageRegexes"),
    serviceUpgradeTags: tags("serviceUpgradeTags"),
    serviceUpgradeKollaTags: tags("serviceUpgradeKollaTags"),
    parallelPhases: flag("parallelPhases"),
    stagingStack: stackName("staging", raw.values.staging ?? "staging", fail),
    promotionOverride: raw.values.promotionOverride?.trim() || undefined,
    kayobeSecretEnv: secretEnv(),
    maintenanceWindow: parseWindow(raw.values.maintenanceWindow, (expected) => fail("maintenanceWindow", expected)),
    milestoneTimeoutSeconds: duration("milestoneTimeout", "12h"),
    safety: parseSafetyConfig({ values: raw.values, kayobeBin: executable(kayobeBin), resolve, flag, stringList, fail }),
    smokeTests: parseSmokeTests(raw.values.smokeTests, (expected) => fail("smokeTests", expected)),
    seedSsh: parseSeedSsh(raw.values, raw.seedSshPrivateKeyIsSecret === true, workDir, fail),
    // Which names are milestones is known once the stack is planned (runbook/stack-plan.ts).
    doneByHand: parseReasons(raw.values.doneByHand, (expected) => fail("doneByHand", expected)),
  };

  function secretEnv(): Record<string, string> {
    const value = raw.values.kayobeSecretEnv;
    if (value !== undefined && !raw.kayobeSecretEnvIsSecret) {
      fail("kayobeSecretEnv", `is stored in plaintext; expected a secret (pulumi config set --secret --path '${key("kayobeSecretEnv")}.NAME' ... --stack ${stack})`);
    }
    // The value is a secret: messages describe it and never quote it.
    return parseEnvMap(value, (expected) => fail("kayobeSecretEnv", expected.replace(/ \(got .*\)$/s, "")));
  }
}

const WINDOW = /^(\S+)\/(\S+)$/;

function parseWindow(value: string | undefined, fail: (expected: string) => never): MaintenanceWindow {
  if (value === undefined || value === "closed") return { state: "closed" };
  if (value === "open") return { state: "open" };
  const [, start, end] = WINDOW.exec(value) ?? [];
  if (start === undefined || Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end))) {
    return fail(`expected closed, open, or an ISO 8601 interval such as 2026-11-28T20:00Z/2026-11-29T02:00Z (got "${value}")`);
  }
  if (Date.parse(end) <= Date.parse(start)) return fail(`expected the window to end after it starts (got "${value}")`);
  return { state: "scheduled", start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

function parseEnvMap(json: string | undefined, fail: (expected: string) => never): Record<string, string> {
  if (json === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail(`expected a map of environment variable names to strings (got "${json}")`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(`expected a map of environment variable names to strings (got ${json})`);
  }
  const env: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!ENV_VAR_NAME.test(name)) fail(`"${name}" is not an environment variable name`);
    if (RESERVED_ENV.includes(name)) fail(`${name} is set from its own key (kayobeConfigPath, environment, vaultPassword), not here`);
    if (typeof v !== "string") fail(`expected a string value for ${name} (got ${JSON.stringify(v)})`);
    env[name] = v as string;
  }
  return env;
}

function parseReasons(json: string | undefined, fail: (expected: string) => never): Record<string, string> {
  if (json === undefined) return {};
  const expected = `expected a map of milestone names to the reason each was done by hand (got ${json})`;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail(expected);
  }
  const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
  return isMap && Object.values(value as object).every((reason) => typeof reason === "string" && reason.trim() !== "") ? (value as Record<string, string>) : fail(expected);
}

function stackName(key: string, value: string, fail: (name: string, expected: string) => never): string {
  return STACK_NAME.test(value) ? value : fail(key, `expected the name of a stack of this project on the same backend (got "${value}")`);
}

function parseStringList(json: string | undefined, fail: (expected: string) => never): string[] {
  if (json === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail(`expected a list of strings (got "${json}")`);
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item !== "")) {
    return fail(`expected a list of non-empty strings (got ${json})`);
  }
  return value as string[];
}
