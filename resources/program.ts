import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Checkout, readCheckout, refuseDirtyCheckout } from "./checks/checkout";
import { checkNotableChanges, Finding, refuseBlockingChanges } from "./checks/notable-changes";
import { readKayobeConfig } from "./config/kayobe-config";
import { SAFETY_KEYS } from "./config/safety-config";
import { NAMESPACE, parseStackConfig, StackConfig } from "./config/stack-config";
import { ConfigError } from "./errors";
import { PHASES } from "./runbook/phases";
import { Milestone as PlannedMilestone, planUpgrade } from "./runbook/plan";
import { uncheckedPrerequisites } from "./runbook/prerequisites";
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
  ...SAFETY_KEYS,
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

/** Shows at preview (and up) what was checked before anything runs, and what needs the operator. */
function report(config: StackConfig, checkout: Checkout, findings: Finding[], unchecked: string[]): void {
  const git = checkout.commit === null ? "not in git" : `commit ${checkout.commit} on ${checkout.branch ?? "a detached HEAD"}, ${checkout.clean ? "clean" : "with uncommitted changes"}`;
  pulumi.log.info(`kayobe-config ${checkout.path}: ${git}`);
  for (const finding of findings) {
    if (finding.outcome === "warning" || finding.outcome === "acknowledged") pulumi.log.warn(finding.message);
    else if (finding.outcome === "blocking") pulumi.log.error(finding.message);
    else pulumi.log.info(finding.message);
  }
  for (const id of unchecked) pulumi.log.warn(`prerequisite "${id}" is not checked: give its command in kayobe-upgrade:prerequisiteChecks, or switch it off there with false`);
  if (config.safety.kayobePip === undefined) pulumi.log.warn("the Kayobe virtual environment is unknown (kayobe is found on PATH): set kayobe-upgrade:kayobeVenv to reinstall its requirements before the control host upgrade");
}

/** Reads and checks everything before any resource exists, so bad input runs nothing. */
function loadPlan(): { config: StackConfig; plan: PlannedMilestone[]; checkout: Checkout; findings: Finding[] } {
  const stack = pulumi.getStack();
  const cfg = new pulumi.Config(NAMESPACE);
  const secret = isConfigSecret(`${NAMESPACE}:vaultPassword`);
  const values: Record<string, string | undefined> = Object.fromEntries(CONFIG_KEYS.map((key) => [key, cfg.get(key)]));
  values.vaultPassword = secret ? "<secret>" : cfg.get("vaultPassword");
  try {
    const config = parseStackConfig(stack, { values, vaultPasswordIsSecret: secret }, PROJECT_ROOT);
    const kayobe = readKayobeConfig(config);
    const plan = planUpgrade(config, kayobe);
    const checkout = readCheckout(config.kayobeConfigPath);
    const findings = checkNotableChanges(config, kayobe);
    report(config, checkout, findings, uncheckedPrerequisites({ config, kayobe }));
    refuseDirtyCheckout(config, checkout);
    refuseBlockingChanges(config, findings);
    return { config, plan, checkout, findings };
  } catch (err) {
    // The message says what to fix; a stack trace would bury it.
    if (err instanceof ConfigError) throw new pulumi.RunError(err.message);
    throw err;
  }
}

/** Declares this stack's upgrade: one milestone per runbook step, grouped by phase; the checks and the kayobe-config it ran from. */
export function declareUpgrade(): { milestones: pulumi.Output<Record<string, unknown>>; kayobeConfig: Omit<Checkout, "changes">; notableChanges: Record<string, string> } {
  const { config, plan, checkout, findings } = loadPlan();
  const vaultPassword = new pulumi.Config(NAMESPACE).requireSecret("vaultPassword");
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
        { phase: m.phase, title: m.title, commands: m.commands, targetRelease: config.targetRelease, fingerprint: m.fingerprint, execution, vaultPassword },
        { parent: phases.get(m.phase), dependsOn: m.dependsOn.map((name) => declared.get(name)!) },
      ),
    );
  }
  const { changes: _changes, ...kayobeConfig } = checkout;
  return {
    milestones: pulumi.output(
      Object.fromEntries([...declared].map(([name, resource]) => [name, { phase: resource.phase, releaseReached: resource.releaseReached, completedAt: resource.completedAt }])),
    ),
    kayobeConfig,
    notableChanges: Object.fromEntries(findings.map((f) => [f.rule, f.outcome])),
  };
}
