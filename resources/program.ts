import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { readKayobeConfig } from "./config/kayobe-config";
import { NAMESPACE, parseStackConfig, StackConfig } from "./config/stack-config";
import { ConfigError } from "./errors";
import { PHASES } from "./runbook/phases";
import { Milestone as PlannedMilestone, planUpgrade } from "./runbook/plan";
import { Milestone } from "./provider/milestone";

// The SDK knows which config keys are secrets but only exports the check internally.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

const PROJECT_ROOT = path.resolve(__dirname, "..");
const CONFIG_KEYS = [
  "kayobeBin",
  "kayobeConfigPath",
  "environment",
  "targetRelease",
  "kayobeEnv",
  "logDir",
  "stage",
  "rabbitmqUpgradeWait",
  "hypervisorBatchSize",
  "vipHost",
  "overcloudImageRegexes",
  "serviceUpgradeTags",
  "serviceUpgradeKollaTags",
  "parallelPhases",
  "smokeTests",
  "seedSshHost",
  "seedSshUser",
  "seedSshPort",
];
/** Generous: a container image pull or a service upgrade of a large site takes hours. */
const COMMAND_TIMEOUT_SECONDS = 12 * 3600;

/** A phase of the runbook, grouping its milestones in preview and in the state. */
class Phase extends pulumi.ComponentResource {
  constructor(name: string) {
    super("kayobe-upgrade:runbook:Phase", name);
    this.registerOutputs({});
  }
}

/** Reads and checks everything before any resource exists, so bad input runs nothing. */
function loadPlan(): { config: StackConfig; plan: PlannedMilestone[] } {
  const stack = pulumi.getStack();
  const cfg = new pulumi.Config(NAMESPACE);
  const secret = isConfigSecret(`${NAMESPACE}:vaultPassword`);
  const values: Record<string, string | undefined> = Object.fromEntries(CONFIG_KEYS.map((key) => [key, cfg.get(key)]));
  values.vaultPassword = secret ? "<secret>" : cfg.get("vaultPassword");
  const keyIsSecret = isConfigSecret(`${NAMESPACE}:seedSshPrivateKey`);
  values.seedSshPrivateKey = keyIsSecret ? "<secret>" : cfg.get("seedSshPrivateKey");
  try {
    const config = parseStackConfig(stack, { values, vaultPasswordIsSecret: secret, seedSshPrivateKeyIsSecret: keyIsSecret }, PROJECT_ROOT);
    return { config, plan: planUpgrade(config, readKayobeConfig(config)) };
  } catch (err) {
    // The message says what to fix; a stack trace would bury it.
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

/** Declares this stack's upgrade: one milestone per runbook step, grouped by phase. */
export function declareUpgrade(): pulumi.Output<Record<string, unknown>> {
  const { config, plan } = loadPlan();
  const cfg = new pulumi.Config(NAMESPACE);
  const vaultPassword = cfg.requireSecret("vaultPassword");
  // Only the milestones that use it carry the key (encrypted) in the state.
  const sshPrivateKey = cfg.getSecret("seedSshPrivateKey");
  const overSsh = (m: PlannedMilestone) => m.commands.some((c) => !Array.isArray(c) && c.kind === "ssh");
  const execution = {
    kayobeBin: config.kayobeBin,
    kayobeConfigPath: config.kayobeConfigPath,
    environment: config.environment,
    kayobeEnv: config.kayobeEnv,
    cwd: PROJECT_ROOT,
    logDir: config.logDir,
    timeoutSeconds: COMMAND_TIMEOUT_SECONDS,
  };
  const phases = new Map(
    PHASES.filter((phase) => plan.some((m) => m.phase === phase)).map((phase) => [phase, new Phase(phase)]),
  );
  const declared = new Map<string, Milestone>();
  for (const m of plan) {
    declared.set(
      m.name,
      new Milestone(
        m.name,
        { phase: m.phase, title: m.title, commands: m.commands, targetRelease: config.targetRelease, fingerprint: m.fingerprint, execution, vaultPassword, sshPrivateKey: overSsh(m) ? sshPrivateKey : undefined },
        { parent: phases.get(m.phase), dependsOn: m.dependsOn.map((name) => declared.get(name)!) },
      ),
    );
  }
  return pulumi.output(
    Object.fromEntries([...declared].map(([name, resource]) => [name, { phase: resource.phase, releaseReached: resource.releaseReached, completedAt: resource.completedAt }])),
  );
}
