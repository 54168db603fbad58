// The milestone provider's implementation. The dynamic provider (./milestone.ts) loads it
// from the project when it runs, so that none of this is serialized into the state.
import type * as pulumi from "@pulumi/pulumi";
import { formatDuration } from "../config/time";
import { DEFAULT_THROTTLE, Progress } from "../executor/progress";
import { recordReview } from "../executor/review";
import { MilestoneRun, runCommands, scrubberOf } from "../executor/run-commands";
import { announceRefusal, recordStep, toOperator } from "../executor/step-record";
import { decodeCommands, Goal, goalDigest, goalMet, GoalRecord } from "./goal";
import type { MilestoneInputs, MilestoneOutputs } from "./milestone";
import { reviewVerdict } from "./review-gate";

/** What the milestone must achieve, its commands decoded. */
function goalOf(inputs: MilestoneInputs): Goal {
  return { commands: decodeCommands(inputs.commands), targetRelease: inputs.targetRelease, fingerprint: inputs.fingerprint, toReview: inputs.toReview };
}

/** Whether what the milestone must achieve differs from what it achieved (or nothing was achieved yet). */
function goalChanged(olds: GoalRecord, news: MilestoneInputs): boolean {
  return !goalMet(olds, goalOf(news), news.execution.cwd);
}

function gateRefusal({ gate, targetRelease, fingerprint }: MilestoneInputs): string | undefined {
  if (gate === undefined || gate.satisfied || gate.override !== undefined) return undefined;
  return (
    `staging stack "${gate.staging}" has not completed this step at release ${targetRelease} with fingerprint ${fingerprint}; ` +
    `missing staging milestones: ${gate.missing.join(", ")}. ` +
    (gate.differs === undefined ? "" : `Staging ran it with other settings, and production runs only what staging ran and tested: ${gate.differs.join("; ")}. Set them as staging has them, or `) +
    `${gate.differs === undefined ? "Upgrade" : "upgrade"} staging first, or set kayobe-upgrade:promotionOverride to a reason in an emergency.`
  );
}

/** An outage step starts only if its estimate, this much longer, ends before the window closes. */
export const WINDOW_MARGIN = 0.2;

/** Why a step causing an API outage may not run at `now`, if it may not. */
function windowRefusal({ risk, maintenanceWindow: window, estimateSeconds }: MilestoneInputs, now: Date): string | undefined {
  if (risk !== "outage" || window.state === "open") return undefined;
  if (window.state === "scheduled" && Date.parse(window.start) <= now.getTime() && now.getTime() < Date.parse(window.end)) {
    const left = (Date.parse(window.end) - now.getTime()) / 1000;
    if (estimateSeconds === undefined || estimateSeconds * (1 + WINDOW_MARGIN) <= left) return undefined;
    return (
      `this step causes an API outage and is estimated to take ${formatDuration(estimateSeconds)} (${formatDuration(estimateSeconds * (1 + WINDOW_MARGIN))} with a ${WINDOW_MARGIN * 100}% margin), ` +
      `but the maintenance window (kayobe-upgrade:maintenanceWindow ${window.start}/${window.end}) closes in ${formatDuration(left)}: it is not started; run it in the next window`
    );
  }
  const state = window.state === "closed" ? "closed" : `${window.start}/${window.end}, not ${now.toISOString()}`;
  return `this step causes an API outage and runs only inside a maintenance window (kayobe-upgrade:maintenanceWindow is ${state}); set it to open, or to the agreed window as an ISO 8601 interval`;
}

/** Runs a milestone's commands on create and update, or records the step done by hand; preview only diffs. */
export class MilestoneProvider implements pulumi.dynamic.ResourceProvider<MilestoneInputs, MilestoneOutputs> {
  /**
   * Refuses, already at preview, a pending production step that staging has not shown
   * the way for (a failure of no property: the engine would print the whole gate's value). A pending outage outside the maintenance window is only announced here:
   * the steps before it may still run, and it refuses when its turn comes.
   */
  async check(olds: Partial<MilestoneInputs>, news: MilestoneInputs): Promise<pulumi.dynamic.CheckResult<MilestoneInputs>> {
    if (!goalChanged(olds, news)) return { inputs: news };
    // Nothing will run: neither staging's lead nor a window is needed to record it.
    if (news.doneByHand !== undefined) {
      console.log(`pending, to be recorded as done by hand: ${news.milestone}: ${news.doneByHand}`);
      return { inputs: news };
    }
    if (news.waiting !== undefined) console.log(`pending, and waiting: ${news.milestone}`);
    const outage = windowRefusal(news, new Date());
    if (outage !== undefined) console.log(`pending, and needs a maintenance window: ${news.milestone}: ${outage}`);
    const gate = gateRefusal(news);
    return { inputs: news, failures: gate === undefined ? [] : [{ property: "", reason: `${news.milestone}: ${gate}` }] };
  }

  async diff(_id: string, olds: GoalRecord, news: MilestoneInputs): Promise<pulumi.dynamic.DiffResult> {
    return { changes: goalChanged(olds, news), replaces: [], deleteBeforeReplace: false };
  }

  async create(inputs: MilestoneInputs): Promise<pulumi.dynamic.CreateResult<MilestoneOutputs>> {
    return { id: inputs.milestone, outs: await this.achieve(inputs) };
  }

  async update(_id: string, _olds: unknown, news: MilestoneInputs): Promise<pulumi.dynamic.UpdateResult<MilestoneOutputs>> {
    return { outs: await this.achieve(news) };
  }

  /** Undoing an upgrade is not a thing kayobe does: the record goes, the cloud stays. */
  async delete(id: string): Promise<void> {
    console.log(`milestone ${id} forgotten; nothing was undone on the cloud`);
  }

  private async achieve(inputs: MilestoneInputs): Promise<MilestoneOutputs> {
    const { milestone, phase, gate, targetRelease, fingerprint, execution, doneByHand } = inputs;
    const record = {
      milestone,
      phase,
      ...(gate === undefined ? {} : { gate }),
      fingerprint,
      goal: goalDigest(goalOf(inputs), execution.cwd),
      projectRoot: execution.cwd,
      releaseReached: targetRelease,
    };
    if (doneByHand !== undefined) return { ...record, commandsRun: [], completedAt: new Date().toISOString(), doneByHand };
    const refuse = (reason: string): never => {
      announceRefusal({ milestone, position: inputs.position, reason });
      throw new Error(reason);
    };
    if (inputs.waiting !== undefined) refuse(`${milestone} waits: ${inputs.waiting}`);
    // Checked when the step's turn comes: a run may reach it after the window closed.
    const closed = windowRefusal(inputs, new Date());
    if (closed !== undefined) refuse(`${milestone}: ${closed}`);
    const verdict = inputs.reviewGate && reviewVerdict(milestone, inputs.reviewGate);
    if (verdict !== undefined && "refusal" in verdict) refuse(verdict.refusal);
    const run = await runStep(inputs);
    const review = inputs.toReview && recordReview(inputs.toReview, run.log, (text) => scrubberOf(inputs.secrets).hide(text));
    return {
      ...record,
      startedAt: run.startedAt,
      // What ran follows from each command and the inputs' execution (kayobeBin, kayobeConfigPath).
      commandsRun: run.commands.map(({ argv: _argv, ...command }) => command),
      log: run.log,
      completedAt: new Date().toISOString(),
      ...(run.foundDone.length === 0 ? {} : { foundDone: run.foundDone }),
      ...(run.interrupted.length === 0 ? {} : { interrupted: run.interrupted }),
      ...(review === undefined ? {} : { review }),
      ...(verdict === undefined ? {} : verdict),
    };
  }
}

/** Runs the step's commands, its start and end shown to the operator and recorded beside its logs. */
async function runStep(inputs: MilestoneInputs): Promise<MilestoneRun & { startedAt: string }> {
  const { milestone, phase, position, title, execution } = inputs;
  const progress = new Progress({ milestone, position, title }, toOperator);
  const started = new Date();
  const step = (log: string) => ({ milestone, position, phase, log });
  const seconds = () => (Date.now() - started.getTime()) / 1000;
  let log = "";
  // The latest lines reach the terminal as each window closes, even while the command is quiet.
  const timer = setInterval(() => progress.flush(), DEFAULT_THROTTLE.windowMs);
  try {
    const run = await runCommands(milestone, goalOf(inputs).commands, execution, inputs.secrets, {
      progress,
      started: (file) => {
        log = file;
        recordStep(execution.logDir, { ...step(log), event: "start", at: started.toISOString(), pid: process.pid });
      },
    });
    progress.finish(true, seconds());
    recordStep(execution.logDir, { ...step(log), event: "done", at: new Date().toISOString(), seconds: seconds() });
    return { ...run, startedAt: started.toISOString() };
  } catch (err) {
    progress.finish(false, seconds());
    // The first line says what failed; the log is recorded beside it.
    const error = (err instanceof Error ? err.message : String(err)).split("\n")[0].replace(/\. Full output: \S+$/, "");
    recordStep(execution.logDir, { ...step(log), event: "failed", at: new Date().toISOString(), seconds: seconds(), error });
    throw err;
  } finally {
    clearInterval(timer);
  }
}
