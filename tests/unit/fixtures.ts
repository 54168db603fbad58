// Shared inputs of the pure tests: the shipped sample and the stack config pointing at it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { KayobeConfig, readKayobeConfig } from "../../resources/config/kayobe-config";
import { configAt, Sides } from "../../resources/config/sides";
import { SmokeTests } from "../../resources/config/smoke-tests";
import { StackConfig } from "../../resources/config/stack-config";

export const PROJECT = path.resolve(__dirname, "..", "..");
export const SAMPLE = path.join(PROJECT, "samples", "kayobe-config", "etc", "kayobe");
/** The real kayobe of 2024.1 that scripts/ensure-kayobe.sh installs, which reads a 2024.1 config. */
export const REAL_KAYOBE = path.join(PROJECT, ".kayobe-upgrade", "kayobe-16.8.0", "bin", "kayobe");
/** The same of 2023.1, which reads the source release's config. */
export const REAL_KAYOBE_2023_1 = path.join(PROJECT, ".kayobe-upgrade", "kayobe-14.5.0", "bin", "kayobe");
/** The shipped stacks' vault passwords (secrets in Pulumi.<stack>.yaml), which encrypt the sample's secrets.yml. */
export const SAMPLE_VAULT_PASSWORD: Record<string, string> = { staging: "sample-vault-password-staging", production: "sample-vault-password-production" };

/**
 * The kayobe-config a config points at, as real kayobe evaluates it: one
 * `kayobe configuration dump` per folder and environment, cached apart from the shipped
 * stacks' own cache.
 */
export function evaluate(config: StackConfig): KayobeConfig {
  const cache = path.join(os.tmpdir(), "kayobe-upgrade-tests", `${config.kayobeConfigPath}-${config.environment}`.replace(/[^A-Za-z0-9-]/g, "_"));
  return readKayobeConfig({ ...config, workDir: cache }, SAMPLE_VAULT_PASSWORD[config.environment ?? "staging"], configAt(config, "target", config.kayobeConfigPath));
}

/** The two sides of a config's upgrade when both are the config itself (as a checkout at the target with a worktree of the same). */
export function sidesOf(config: StackConfig): Sides {
  const kayobe = evaluate(config);
  return { source: kayobe, target: kayobe, releases: { source: "2023.1", target: "2024.1" }, waiting: {} };
}

/** The smoke tests the shipped stacks configure (Pulumi.staging.yaml, Pulumi.production.yaml). */
export const SHIPPED_SMOKE_TESTS: SmokeTests = {
  Prerequisites: [["simulator/baremetal", "node", "list"]],
  "Upgrading the Overcloud": [["simulator/baremetal", "node", "list"]],
};

export function stagingConfig(overrides: Partial<StackConfig> = {}): StackConfig {
  return {
    stack: "staging",
    kayobeBin: path.join(PROJECT, "simulator", "kayobe"),
    preflightKayobeBin: REAL_KAYOBE,
    sourcePreflightKayobeBin: REAL_KAYOBE_2023_1,
    baremetalBin: "baremetal",
    kayobeConfigPath: SAMPLE,
    environment: "staging",
    targetRelease: "2024.1",
    kayobeEnv: {},
    logDir: path.join(PROJECT, ".kayobe-upgrade", "logs", "staging"),
    workDir: path.join(PROJECT, ".kayobe-upgrade", "staging"),
    stage: "staging",
    rabbitmqUpgradeWait: 200,
    hypervisorBatchSize: 1,
    overcloudImageRegexes: [],
    parallelPhases: false,
    stagingStack: "staging",
    kayobeSecretEnv: {},
    maintenanceWindow: { state: "closed" },
    milestoneTimeoutSeconds: 43200,
    safety: { allowDirtyKayobeConfig: false, databaseBackups: [], kayobePip: path.join(PROJECT, "simulator", "pip"), prerequisiteChecks: {}, acknowledgedChanges: [] },
    smokeTests: {},
    doneByHand: {},
    hostSafety: { healthChecks: {}, healthAttempts: 30, healthIntervalSeconds: 20, rebootWithoutAnswer: {} },
    reviewGates: true,
    approvals: {},
    ...overrides,
  };
}

/** A private copy of the sample kayobe-config checkout, to change without touching the shipped one; returns its etc/kayobe. */
export function copyOfSample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-config-"));
  fs.cpSync(path.resolve(SAMPLE, "..", ".."), dir, { recursive: true });
  return path.join(dir, "etc", "kayobe");
}
