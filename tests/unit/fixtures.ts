// Shared inputs of the pure tests: the shipped sample and the stack config pointing at it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SmokeTests } from "../../resources/config/smoke-tests";
import { StackConfig } from "../../resources/config/stack-config";

export const PROJECT = path.resolve(__dirname, "..", "..");
export const SAMPLE = path.join(PROJECT, "samples", "kayobe-config", "etc", "kayobe");

/** The smoke tests the shipped stacks configure (Pulumi.staging.yaml, Pulumi.production.yaml). */
export const SHIPPED_SMOKE_TESTS: SmokeTests = {
  Prerequisites: [["simulator/baremetal", "node", "list"]],
  "Upgrading the Overcloud": [["simulator/baremetal", "node", "list"]],
};

export function stagingConfig(overrides: Partial<StackConfig> = {}): StackConfig {
  return {
    stack: "staging",
    kayobeBin: path.join(PROJECT, "simulator", "kayobe"),
    preflightKayobeBin: path.join(PROJECT, ".kayobe-upgrade", "kayobe-16.8.0", "bin", "kayobe"),
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
    ...overrides,
  };
}

/** A private copy of the sample kayobe-config checkout, to change without touching the shipped one; returns its etc/kayobe. */
export function copyOfSample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-config-"));
  fs.cpSync(path.resolve(SAMPLE, "..", ".."), dir, { recursive: true });
  return path.join(dir, "etc", "kayobe");
}
