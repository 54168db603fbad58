import { spawnSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Checkout, readCheckout, refuseDirtyCheckout, refuseUntrustedCheckout } from "./checks/checkout";
import { refuseOptionLikeValues } from "./checks/command-line";
import { refuseMissingPrograms } from "./checks/programs";
import { checkNotableChanges, Finding, refuseBlockingChanges } from "./checks/notable-changes";
import { KayobeConfig } from "./config/kayobe-config";
import { invocationOf, readSides, Sides } from "./config/sides";
import { checkPaths } from "./config/paths";
import { NAMESPACE, RawSetting, settingsOf } from "./config/settings";
import { parseStackConfig, StackConfig } from "./config/stack-config";
import { recordDir } from "./config/record";
import { listedStacks } from "./config/stack-file";
import { ConfigError } from "./errors";
import type { Execution, Secrets } from "./executor/run-commands";
import { Gate, gateFor, Progress, stepOf } from "./promotion/gate";
import { vipHostWarning } from "./runbook/package-batches";
import { PHASES, Side } from "./runbook/phases";
import { Milestone as PlannedMilestone, PHASE_ORDER } from "./runbook/plan";
import { uncheckedPrerequisites } from "./runbook/prerequisites";
import { stackPlan } from "./runbook/stack-plan";
import { transitionTo } from "./runbook/transitions";
import { checkPreflightKayobe } from "./preflight/preflight-step";
import { encodeCommands } from "./provider/goal";
import { Milestone } from "./provider/milestone";
import { gateAhead } from "./provider/review-gate";
import { describeEstimate, Estimate, estimatePending, recordedDurations } from "./report/estimate";
import { statusPage } from "./report/live-page";
import { MilestoneStatus, milestoneStatuses, Recorded, recordedMilestones } from "./report/state";

// The SDK knows which config keys are secrets but only exports the check internally.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

const PROJECT_ROOT = path.resolve(__dirname, "..");

/** A phase of the runbook, grouping its milestones in preview and in the state. */
class Phase extends pulumi.ComponentResource {
  constructor(name: string) {
    super("kayobe-upgrade:runbook:Phase", name);
    this.registerOutputs({});
  }
}

/** How a side's configuration was read, and the environment its commands run with. */
function describe(side: string, kayobe: KayobeConfig): void {
  const named = kayobe.vars.openstack_release_codename === undefined ? "" : `, named ${String(kayobe.vars.openstack_release_codename)}`;
  pulumi.log.info(`${side}: ${kayobe.configPath}, evaluated by ${kayobe.evaluatedBy} (release ${String(kayobe.vars.openstack_release)}${named})`);
  if (kayobe.env.source === "kayobe-env") pulumi.log.info(`${side} steps run in ${kayobe.checkout} with what its kayobe-env exports: ${Object.keys(kayobe.env.vars).sort().join(", ")}`);
  else pulumi.log.warn(`the kayobe-config has no kayobe-env: commands run in ${kayobe.checkout} with only KAYOBE_CONFIG_PATH and KAYOBE_ENVIRONMENT set, and kayobe's defaults for the rest (KOLLA_CONFIG_PATH /etc/kolla...); set others in kayobe-upgrade:kayobeEnv`);
}

/** Shows at preview (and up) what was checked before anything runs, and what needs the operator. */
function report(config: StackConfig, sides: Sides, checkout: Checkout, findings: Finding[], unchecked: string[]): void {
  const git = checkout.commit === null ? "not in git" : `commit ${checkout.commit} on ${checkout.branch ?? "a detached HEAD"}, ${checkout.clean ? "clean" : "with uncommitted changes"}`;
  pulumi.log.info(`the record: state ${process.env.PULUMI_BACKEND_URL ?? "in the backend pulumi is logged in to"}, logs ${config.logDir}, status page ${statusPage(config)}`);
  pulumi.log.info(`kayobe-config ${checkout.path}: ${git}`);
  if (sides.source !== sides.target) describe(`source release ${sides.releases.source} (${config.sourceConfigRef})`, sides.source);
  describe(sides.source === sides.target ? "the kayobe-config" : `target release ${sides.releases.target}`, sides.target);
  for (const why of Object.values(sides.waiting)) pulumi.log.warn(`waiting: ${why}`);
  for (const finding of findings) {
    if (finding.outcome === "warning" || finding.outcome === "acknowledged") pulumi.log.warn(finding.message);
    else if (finding.outcome === "blocking") pulumi.log.error(finding.message);
    else pulumi.log.info(finding.message);
  }
  if (config.parallelPhases) for (const order of PHASE_ORDER) pulumi.log.info(`phases side by side, but ${order.after} after ${order.before}: ${order.why}`);
  for (const id of unchecked) pulumi.log.warn(`prerequisite "${id}" is not checked: give its command in kayobe-upgrade:prerequisiteChecks, or switch it off there with false`);
  const vip = vipHostWarning({ config, kayobe: sides.target });
  if (vip !== undefined) pulumi.log.warn(vip);
  if (config.safety.kayobePip === undefined) pulumi.log.warn("the Kayobe virtual environment is unknown (kayobe is found on PATH): set kayobe-upgrade:kayobeVenv to reinstall its requirements before the control host upgrade");
}

/** Reads and checks everything before any resource exists, so bad input runs nothing. */
function loadPlan(): { config: StackConfig; sides: Sides; plan: PlannedMilestone[]; checkout: Checkout; findings: Finding[]; recorded: Recorded } {
  const stack = pulumi.getStack();
  // Read without Config.get, which warns about each secret: secrets are parsed, never shown.
  const all = Object.entries(pulumi.runtime.allConfig()).map(([key, value]): [string, RawSetting] => [key, { value, secret: isConfigSecret(key) }]);
  return reported(() => {
    const config = parseStackConfig(stack, settingsOf(stack, Object.fromEntries(all)), PROJECT_ROOT, recordDir());
    checkPaths(config);
    transitionTo(config);
    refuseMissingStaging(config);
    refuseUntrustedCheckout(config);
    // The plaintext only goes to kayobe, in its environment, to decrypt the config's vault files.
    const sides = readSides(config, pulumi.runtime.getConfig(`${NAMESPACE}:vaultPassword`) ?? "");
    checkPreflightKayobe(config);
    const checkout = readCheckout(config.kayobeConfigPath);
    // The target release's notable changes are about its configuration: none yet while the checkout is at the source.
    const findings = sides.waiting.target === undefined ? checkNotableChanges(config, sides.target) : [];
    // The stack's record: what was batched once stays so, and how long each step took.
    const recorded = recordedMilestones(pulumiCli(["stack", "export", "--stack", stack]));
    const names = [...recorded.keys()];
    report(config, sides, checkout, findings, uncheckedPrerequisites({ config, kayobe: sides.source, recorded: names }));
    refuseDirtyCheckout(config, checkout);
    refuseBlockingChanges(config, findings);
    const plan = stackPlan(config, sides, names);
    refuseOptionLikeValues(config, plan);
    refuseMissingPrograms(config, sides, plan, PROJECT_ROOT);
    return { config, sides, plan, checkout, findings, recorded };
  });
}

/**
 * Bad input as Pulumi shows an operator's mistake: the message alone. Anything else is a
 * bug, and keeps its stack trace.
 */
function reported<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw asRunError(err);
  }
}

export function asRunError(err: unknown): unknown {
  if (!(err instanceof ConfigError)) return err;
  // No frames to capture: the SDK source-maps a trace it holds when the program fails,
  // which took a refusal 25 s instead of 3 (bench/REPORT.md).
  const { stackTraceLimit } = Error;
  Error.stackTraceLimit = 0;
  try {
    return new pulumi.RunError(err.message);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** A production stack's staging stack must exist: the engine fails a reference to a missing one in its own words, naming no setting. */
function refuseMissingStaging(config: StackConfig): void {
  if (config.stage !== "production") return;
  const stacks = listedStacks(pulumiCli(["stack", "ls", "--json"]));
  if (stacks.includes(config.stagingStack)) return;
  throw new ConfigError(
    config.stack,
    "kayobe-upgrade:staging",
    `the staging stack "${config.stagingStack}" does not exist on this backend (stacks: ${stacks.join(", ")}); upgrade staging first (bin/pulumi up --stack ${config.stagingStack}), or set kayobe-upgrade:staging to this production stack's staging stack`,
  );
}

/** What the staging stack has completed, for a production stack's gate. */
async function stagingProgress(config: StackConfig): Promise<Progress> {
  const name = `organization/${pulumi.getProject()}/${config.stagingStack}`;
  const progress = (await new pulumi.StackReference(`staging-${config.stagingStack}`, { name }).getOutputDetails("progress")).value;
  return (progress ?? {}) as Progress;
}

/**
 * How long the pending steps should take, from this stack's record and, for production,
 * its staging stack's: shown at preview and up, and weighed against a scheduled window.
 */
function estimateUpgrade(config: StackConfig, plan: PlannedMilestone[], recorded: Recorded, statuses: Map<string, MilestoneStatus>): Estimate {
  const pending = plan.filter((m) => statuses.get(m.name)?.state !== "done");
  const reference = config.stage === "production" ? recordedDurations(recordedMilestones(pulumiCli(["stack", "export", "--stack", config.stagingStack]))) : undefined;
  const estimate = estimatePending(pending, recordedDurations(recorded), reference);
  pulumi.log.info(`estimate: ${describeEstimate(pending.length, estimate)}${reference === undefined ? "" : `, from this stack's record and staging stack "${config.stagingStack}"'s`}`);
  return estimate;
}

/** Lists the review gates of the pending steps: what each waits for, and how to approve it. */
function reportReviewGates(config: StackConfig, plan: PlannedMilestone[], recorded: Recorded, statuses: Map<string, MilestoneStatus>): void {
  const gated = plan.filter((m) => m.gatedBy !== undefined && statuses.get(m.name)?.state !== "done");
  if (gated.length === 0) return;
  if (!config.reviewGates) {
    pulumi.log.warn(`review gates are off (${NAMESPACE}:reviewGates false): ${gated.map((m) => m.name).join(", ")} apply what their checks show without an approval; the checks' reviews are recorded`);
    return;
  }
  for (const m of gated) {
    const reviewed = m.gatedBy!;
    const review = statuses.get(reviewed)?.state === "done" ? recorded.get(reviewed)?.review : "to come";
    pulumi.log.info(gateAhead(m.name, { stack: config.stack, reviewed, review, approved: config.approvals[m.name], on: true }));
  }
}

/** The Pulumi CLI running this program (on PATH), on the same backend. */
function pulumiCli(args: string[]): string {
  const result = spawnSync("pulumi", [...args, "--non-interactive"], { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/**
 * Runs `declare` without stack traces. The SDK records one for every promise it makes
 * (runtime/debuggable.js, read only to report leaked promises) and for every resource
 * it registers, and under ts-node each is source-mapped: with a thousand milestones that
 * was half the time of a preview (bench/REPORT.md). A resource's trace would also go
 * into the state, half a kilobyte per milestone rewritten after every step; the SDK
 * lifts the limit to take it, so the trace is made to have no frames. A bug thrown here
 * says so, and KAYOBE_UPGRADE_STACK_TRACES=1 declares with traces to find it.
 */
function withoutStackTraces<T>(declare: () => T): T {
  if (process.env.KAYOBE_UPGRADE_STACK_TRACES === "1") return declare();
  const { stackTraceLimit, prepareStackTrace } = Error;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = (error: Error) => String(error);
  try {
    return declare();
  } catch (err) {
    throw new Error(`a bug while declaring the milestones: ${String(err)} (stack traces are off there for speed; run again with KAYOBE_UPGRADE_STACK_TRACES=1 to see where)`);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
  }
}

/** One milestone per step of the plan, in its phase, after the milestones it depends on. */
function declareMilestones(
  plan: PlannedMilestone[],
  config: StackConfig,
  sides: Sides,
  executionOf: (side: Side) => Execution,
  secretsFor: (m: PlannedMilestone) => pulumi.Output<Secrets>,
  staging: { name: string; progress: Progress } | undefined,
  estimates: Record<string, number>,
): Map<string, Milestone> {
  const phases = new Map(PHASES.filter((phase) => plan.some((m) => m.phase === phase)).map((phase) => [phase, new Phase(phase)]));
  const declared = new Map<string, Milestone>();
  // The reviewed milestone's record, once it has run: its review reaches the gated one as an input.
  const reviewGateOf = (reviewed: string, milestone: string) =>
    declared.get(reviewed)!.review.apply((review) => ({ stack: config.stack, reviewed, review, approved: config.approvals[milestone], on: config.reviewGates }));
  for (const [index, m] of plan.entries()) {
    const gate: Gate | undefined = staging && gateFor(m, config.targetRelease, staging, config.promotionOverride);
    declared.set(
      m.name,
      new Milestone(
        m.name,
        {
          phase: m.phase,
          title: m.title,
          risk: m.risk,
          position: `${index + 1}/${plan.length}`,
          commands: encodeCommands(m.commands),
          targetRelease: config.targetRelease,
          fingerprint: m.fingerprint,
          gate,
          doneByHand: config.doneByHand[m.name],
          maintenanceWindow: config.maintenanceWindow,
          // Only where it decides something: an input that changes makes every run write the state.
          ...(config.maintenanceWindow.state === "scheduled" && m.risk === "outage" && estimates[m.name] !== undefined ? { estimateSeconds: Math.round(estimates[m.name]) } : {}),
          // The preflight checks both sides from the target's; every other step runs from its own.
          execution: executionOf(m.side === "both" ? "target" : m.side),
          waiting: m.side === "both" ? undefined : sides.waiting[m.side],
          secrets: secretsFor(m),
          toReview: m.toReview,
          reviewGate: m.gatedBy === undefined ? undefined : reviewGateOf(m.gatedBy, m.name),
        },
        { parent: phases.get(m.phase), dependsOn: m.dependsOn.map((name) => declared.get(name)!) },
      ),
    );
  }
  return declared;
}

/** Declares this stack's upgrade: one milestone per runbook step, grouped by phase. */
export async function declareUpgrade(): Promise<Record<string, unknown>> {
  const { config, sides, plan, checkout, findings, recorded } = loadPlan();
  const cfg = new pulumi.Config(NAMESPACE);
  const vaultPassword = cfg.requireSecret("vaultPassword");
  // Only the milestones that use it carry the seed's SSH key (encrypted) in the state.
  const sshPrivateKey = cfg.getSecret("seedSshPrivateKey");
  const overSsh = (m: PlannedMilestone) => m.commands.some((c) => !Array.isArray(c) && c.kind === "ssh");
  const secretsFor = (m: PlannedMilestone) =>
    pulumi.secret(pulumi.all([vaultPassword, overSsh(m) ? sshPrivateKey : undefined]).apply(([password, key]) => ({ vaultPassword: password, env: config.kayobeSecretEnv, ...(key === undefined ? {} : { sshPrivateKey: key }) })));
  const staging = config.stage === "production" ? { name: config.stagingStack, progress: await stagingProgress(config) } : undefined;
  const statuses = milestoneStatuses(plan, config.targetRelease, recorded, PROJECT_ROOT);
  const estimate = estimateUpgrade(config, plan, recorded, statuses);
  reportReviewGates(config, plan, recorded, statuses);
  // Each side's steps run from its own configuration, with what its own kayobe-env exports.
  const executionOf = (side: Side): Execution => ({
    ...invocationOf(config, sides, side),
    cwd: PROJECT_ROOT,
    workingDir: sides[side].checkout,
    logDir: config.logDir,
    scratchDir: config.workDir,
    timeoutSeconds: config.milestoneTimeoutSeconds,
    release: sides.releases[side],
    // Only where it decides something: an input that changes makes every run write the state.
    ...(Object.keys(config.hostSafety.rebootWithoutAnswer).length > 0 ? { rebootWithoutAnswer: config.hostSafety.rebootWithoutAnswer } : {}),
  });
  const progress = withoutStackTraces(() => {
    const declared = declareMilestones(plan, config, sides, executionOf, secretsFor, staging, estimate.steps);
    // How far this environment has come, for `pulumi stack output` and for a production
    // stack's gate. Stack outputs are saved when a run completes.
    return pulumi.all(
      Object.fromEntries(
        plan.map((m) => {
          const r = declared.get(m.name)!;
          // The step's settings as planned now, only where it completed with them (its fingerprint is the plan's).
          const settings = (fingerprint: string) => (m.settings !== undefined && fingerprint === m.fingerprint ? { settings: m.settings } : {});
          return [m.name, pulumi.all([r.releaseReached, r.fingerprint, r.completedAt]).apply(([release, fingerprint, completedAt]) => ({ phase: m.phase, step: stepOf(m.name), release, fingerprint, completedAt, ...settings(fingerprint) }))];
        }),
      ),
    );
  });
  const { changes: _changes, ...kayobeConfig } = checkout;
  return {
    progress,
    // The kayobe-config checkout this run planned from, and each notable-change rule's outcome.
    kayobeConfig,
    notableChanges: Object.fromEntries(findings.map((f) => [f.rule, f.outcome])),
    ...(staging && config.promotionOverride !== undefined ? { promotionOverride: { reason: config.promotionOverride, staging: staging.name } } : {}),
  };
}
