import * as path from "path";
import { ConfigError } from "../errors";
import { isSeries, RELEASES, Series } from "../runbook/releases";
import { HostSafety, parseHostSafety } from "./host-safety";
import { parseSafetyConfig, parseValueMap, SafetyConfig } from "./safety-config";
import { parseSeedSsh, SeedSsh } from "./seed-ssh";
import { NAMESPACE, RawSettings, Setting, SETTINGS, SettingName } from "./settings";
import { parseSmokeTests, SmokeTests } from "./smoke-tests";
import { MaintenanceWindow, parseDuration, parseWindow } from "./time";

export type { MaintenanceWindow };

/** What a stack's configuration says, validated. Paths are absolute. */
export interface StackConfig {
  stack: string;
  kayobeBin: string;
  /** The kayobe whose argument parser the preflight checks the plan against (default kayobeBin). */
  preflightKayobeBin: string;
  /** The same, of the source release, for the source-release steps (default kayobeBin). */
  sourcePreflightKayobeBin: string;
  /** The Ironic client the wait-state check runs: a path, or a name looked for as the step runs it. */
  baremetalBin: string;
  kayobeConfigPath: string;
  environment?: string;
  /** A git ref of the checkout holding the site's configuration for the source release. */
  sourceConfigRef?: string;
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
  /** The health waited for between hosts, and the reboot decisions for hosts that cannot answer. */
  hostSafety: HostSafety;
  /** Whether a step applying a check's changes waits for their approval. */
  reviewGates: boolean;
  /** The review digest each gated milestone may apply (approved by the operator). */
  approvals: Record<string, string>;
}


// Set from the dedicated keys; an operator setting them in kayobeEnv would be overridden silently.
const RESERVED_ENV = ["KAYOBE_CONFIG_PATH", "KAYOBE_ENVIRONMENT", "KAYOBE_VAULT_PASSWORD", "ANSIBLE_VAULT_PASSWORD_FILE"];
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;
// A tag starting with "-" would be read by kayobe as an option.
const TAG = "[A-Za-z0-9][A-Za-z0-9_-]*";
const TAGS = new RegExp(`^${TAG}(,${TAG})*$`);

/** `projectRoot` resolves relative paths; the record (resources/config/record.ts) holds the logs by default. */
export function parseStackConfig(stack: string, raw: RawSettings, projectRoot: string, recordDir: string): StackConfig {
  const key = (name: string) => `${NAMESPACE}:${name}`;
  const fail = (name: string, expected: string): never => {
    throw new ConfigError(stack, key(name), expected);
  };
  /** The setting's value, or its default; secrets set as secrets, nothing else. */
  const value = (name: SettingName): string | undefined => {
    const setting = raw[name];
    const declared: Setting = SETTINGS[name];
    if (setting === undefined) return declared.default;
    if (declared.secret && !setting.secret) fail(name, `is stored in plaintext; expected a secret (${setSecret(name)})`);
    if (declared.secret && setting.value === "") fail(name, `is empty; expected ${declared.type} (${setSecret(name)})`);
    if (!declared.secret && setting.secret) fail(name, `is a secret, but it is no secret and is shown in plans and logs; set it in plaintext (bin/pulumi config set ${key(name)} VALUE --stack ${stack})`);
    return setting.value;
  };
  const setSecret = (name: SettingName) => (SETTINGS[name] as Setting).setWith?.replace("STACK", stack);
  const required = (name: SettingName, what: string): string => {
    const v = value(name);
    if (v === undefined || v.trim() === "") {
      return fail(name, `is not set; expected ${what} (pulumi config set ${key(name)} ... --stack ${stack})`);
    }
    return v;
  };
  const resolve = (v: string) => path.resolve(projectRoot, v);

  const targetRelease = required("targetRelease", "an OpenStack release series such as 2024.1");
  if (!isSeries(targetRelease)) {
    fail("targetRelease", `expected one of ${RELEASES.map((r) => r.series).join(", ")} (got "${targetRelease}")`);
  }

  const kayobeConfigPath = required("kayobeConfigPath", "the etc/kayobe folder of a kayobe-config checkout");

  const environment = value("environment");
  if (environment !== undefined && !ENVIRONMENT_NAME.test(environment)) {
    fail("environment", `expected the name of a folder under etc/kayobe/environments (got "${environment}")`);
  }

  // The program reads the secrets' values; here they are only refused in plaintext or empty.
  if (raw.vaultPassword === undefined) {
    fail("vaultPassword", `is not set; expected the Ansible Vault password as a secret (pulumi config set --secret ${key("vaultPassword")} --stack ${stack})`);
  }
  value("vaultPassword");
  value("seedSshPrivateKey");

  // A bare name is looked up on PATH, as a shell would; anything with a slash is a path.
  const executable = (v: string) => (v.includes("/") ? resolve(v) : v);
  const kayobeBin = value("kayobeBin")!;
  const stage = value("stage")!;
  if (stage !== "staging" && stage !== "production") fail("stage", `expected staging or production (got "${stage}")`);
  const integer = (name: SettingName, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = value(name)!;
    if (!/^\d{1,15}$/.test(v) || Number(v) < min || Number(v) > max) {
      fail(name, max === Number.MAX_SAFE_INTEGER ? `expected a whole number of at least ${min} (got "${v}")` : `expected a whole number from ${min} to ${max} (got "${v}")`);
    }
    return Number(v);
  };
  const flag = (name: SettingName): boolean => {
    const v = value(name) ?? "false";
    if (v !== "true" && v !== "false") fail(name, `expected true or false (got "${v}")`);
    return v === "true";
  };
  const hostPattern = (name: SettingName): string | undefined => {
    const v = value(name);
    if (v !== undefined && !HOST_NAME.test(v)) fail(name, `expected a host name from the inventory (got "${v}")`);
    return v;
  };
  const duration = (name: SettingName): number => {
    const v = value(name)!;
    return parseDuration(v) ?? fail(name, `expected a duration such as 90m, 12h or 45s, of at most 24 days (got "${v}")`);
  };
  const tags = (name: SettingName): string | undefined => {
    const v = value(name);
    if (v !== undefined && !TAGS.test(v)) fail(name, `expected comma-separated tags such as config or keystone,nova (got "${v}")`);
    return v;
  };
  const stringList = (name: SettingName) => parseStringList(value(name), (expected) => fail(name, expected));
  const imageRegexes = stringList("overcloudImageRegexes");
  const optionLike = imageRegexes.find((regex) => regex.startsWith("-"));
  if (optionLike !== undefined) fail("overcloudImageRegexes", `"${optionLike}" would be read by kayobe as an option; expected regexes not starting with "-" (write [-] for a leading dash)`);
  const forget = value("forgetCompletedSteps");
  if (forget !== undefined && forget !== stack) fail("forgetCompletedSteps", `expected this stack's own name, "${stack}", to let bin/pulumi destroy forget its completed steps (got "${forget}")`);
  const workDir = resolve(path.join(".kayobe-upgrade", stack));
  return {
    stack,
    kayobeBin: executable(kayobeBin),
    preflightKayobeBin: executable(value("preflightKayobeBin") ?? kayobeBin),
    sourcePreflightKayobeBin: executable(value("sourcePreflightKayobeBin") ?? kayobeBin),
    baremetalBin: executable(value("baremetalBin")!),
    kayobeConfigPath: resolve(kayobeConfigPath),
    environment,
    sourceConfigRef: gitRef(value("sourceConfigRef"), (expected) => fail("sourceConfigRef", expected)),
    targetRelease: targetRelease as Series,
    kayobeEnv: parseEnvMap(value("kayobeEnv"), (expected) => fail("kayobeEnv", expected)),
    logDir: resolve(value("logDir") ?? path.join(recordDir, "logs", stack)),
    workDir,
    stage: stage as StackConfig["stage"],
    rabbitmqUpgradeWait: integer("rabbitmqUpgradeWait", 0, 86400),
    hypervisorBatchSize: integer("hypervisorBatchSize", 1),
    vipHost: hostPattern("vipHost"),
    overcloudImageRegexes: imageRegexes,
    serviceUpgradeTags: tags("serviceUpgradeTags"),
    serviceUpgradeKollaTags: tags("serviceUpgradeKollaTags"),
    parallelPhases: flag("parallelPhases"),
    stagingStack: stackName("staging", value("staging")!, fail),
    promotionOverride: value("promotionOverride")?.trim() || undefined,
    // The value is a secret: messages describe it and never quote it. Withheld from the helper scripts.
    kayobeSecretEnv: parseEnvMap(value("kayobeSecretEnv"), (expected) => fail("kayobeSecretEnv", expected.replace(/ \(got .*\)$/s, ""))),
    maintenanceWindow: parseWindow(value("maintenanceWindow")!, (expected) => fail("maintenanceWindow", expected)),
    milestoneTimeoutSeconds: duration("milestoneTimeout"),
    safety: parseSafetyConfig({ value, kayobeBin: executable(kayobeBin), resolve, flag, stringList, fail }),
    smokeTests: parseSmokeTests(value("smokeTests"), (expected) => fail("smokeTests", expected)),
    seedSsh: parseSeedSsh({ host: value("seedSshHost"), user: value("seedSshUser")!, port: value("seedSshPort")!, privateKeySet: raw.seedSshPrivateKey !== undefined }, workDir, fail),
    // Which names are milestones is known once the stack is planned (runbook/stack-plan.ts).
    doneByHand: parseReasons(value("doneByHand"), (expected) => fail("doneByHand", expected)),
    hostSafety: parseHostSafety({ value, integer, fail }),
    reviewGates: flag("reviewGates"),
    approvals: parseApprovals(value("approvals"), (expected) => fail("approvals", expected)),
  };
}

// What `git check-ref-format` allows, less a leading "-" that git would read as an option.
const GIT_REF = /^(?!-)(?!.*(\.\.|@\{|\/\/|\.lock$|\/$|\.$))[^\s~^:?*[\\\x00-\x1f\x7f]+$/;

function gitRef(ref: string | undefined, fail: (expected: string) => never): string | undefined {
  if (ref === undefined) return undefined;
  return GIT_REF.test(ref) ? ref : fail(`expected a git branch, tag or commit of the kayobe-config checkout, such as site/2023.1 (got "${ref}")`);
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
  const expected = `expected a map of milestone names to the reason each was done by hand (got ${json})`;
  return parseValueMap(json, (reason): reason is string => typeof reason === "string" && reason.trim() !== "", () => fail(expected));
}

function parseApprovals(json: string | undefined, fail: (expected: string) => never): Record<string, string> {
  const expected = `expected a map of milestone names to the review digest approved for each, as its refusal gives it (sha256: and 16 hex digits) (got ${json})`;
  return parseValueMap(json, (digest): digest is string => typeof digest === "string" && /^sha256:[0-9a-f]{16}$/.test(digest), () => fail(expected));
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
