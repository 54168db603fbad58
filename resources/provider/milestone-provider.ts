// The milestone provider's implementation. The dynamic provider (./milestone.ts) loads it
// from the project when it runs, so that none of this is serialized into the state.
import type * as pulumi from "@pulumi/pulumi";
import { runCommands } from "../executor/run-commands";
import { goalDigest, goalMet, GoalRecord } from "./goal";
import type { MilestoneInputs, MilestoneOutputs } from "./milestone";

/** Whether what the milestone must achieve differs from what it achieved (or nothing was achieved yet). */
function goalChanged(olds: GoalRecord, news: MilestoneInputs): boolean {
  return !goalMet(olds, news, news.execution.cwd);
}

function gateRefusal({ gate, targetRelease, fingerprint }: MilestoneInputs): string | undefined {
  if (gate === undefined || gate.satisfied || gate.override !== undefined) return undefined;
  return (
    `staging stack "${gate.staging}" has not completed this step at release ${targetRelease} with fingerprint ${fingerprint}; ` +
    `missing staging milestones: ${gate.missing.join(", ")}. Upgrade staging first, or set kayobe-upgrade:promotionOverride to a reason in an emergency.`
  );
}

/** Why a step causing an API outage may not run at `now`, if it may not. */
function windowRefusal({ risk, maintenanceWindow: window }: MilestoneInputs, now: Date): string | undefined {
  if (risk !== "outage" || window.state === "open") return undefined;
  if (window.state === "scheduled" && Date.parse(window.start) <= now.getTime() && now.getTime() < Date.parse(window.end)) return undefined;
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
    const { milestone, phase, gate, targetRelease, fingerprint, execution, secrets, doneByHand } = inputs;
    const record = {
      milestone,
      phase,
      ...(gate === undefined ? {} : { gate }),
      fingerprint,
      goal: goalDigest(inputs, execution.cwd),
      projectRoot: execution.cwd,
      releaseReached: targetRelease,
    };
    if (doneByHand !== undefined) return { ...record, commandsRun: [], completedAt: new Date().toISOString(), doneByHand };
    // Checked when the step's turn comes: a run may reach it after the window closed.
    const closed = windowRefusal(inputs, new Date());
    if (closed !== undefined) throw new Error(`${milestone}: ${closed}`);
    const run = await runCommands(milestone, inputs.commands, execution, secrets);
    return {
      ...record,
      // What ran follows from each command and the inputs' execution (kayobeBin, kayobeConfigPath).
      commandsRun: run.commands.map(({ argv: _argv, ...command }) => command),
      log: run.log,
      completedAt: new Date().toISOString(),
      ...(run.foundDone.length === 0 ? {} : { foundDone: run.foundDone }),
      ...(run.interrupted.length === 0 ? {} : { interrupted: run.interrupted }),
    };
  }
}
