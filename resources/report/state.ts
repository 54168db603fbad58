import type { ReviewRecord } from "../executor/review";
import { goalMet, GoalRecord } from "../provider/goal";
import { Milestone } from "../runbook/plan";

/** A milestone's standing in the stack: done when `pulumi up` would leave it alone. */
export interface MilestoneStatus {
  state: "done" | "pending";
  completedAt?: string;
  log?: string;
  /** The operator's reason, when the step was recorded as done by hand. */
  doneByHand?: string;
}

interface ExportedResource {
  type: string;
  urn: string;
  /** A replaced resource whose deletion is still to come (a run that failed after `--replace` created the new one). */
  delete?: boolean;
  outputs?: GoalRecord & { startedAt?: string; completedAt?: string; log?: string; doneByHand?: string; releaseReached?: string; commandsRun?: { startedAt: string }[]; review?: ReviewRecord };
}

/** The milestones a stack has recorded, by name, with their records: read once from its export, then passed round. */
export type Recorded = Map<string, NonNullable<ExportedResource["outputs"]>>;

/** The milestones a `pulumi stack export` holds, by name, with their records. */
export function recordedMilestones(exported: string | undefined): Recorded {
  const resources: ExportedResource[] = exported === undefined ? [] : (JSON.parse(exported).deployment?.resources ?? []);
  return new Map(resources.filter((r) => r.type.endsWith(":Milestone") && r.delete !== true).map((r) => [r.urn.split("::").pop()!, r.outputs ?? {}]));
}

/**
 * A milestone is done when the state holds it with
 * the goal (commands, target release, fingerprint) the plan in `projectRoot` gives it
 * now: the provider's diff, so "done" here means "no change" in preview.
 */
export function milestoneStatuses(plan: Milestone[], targetRelease: string, recorded: Recorded, projectRoot: string): Map<string, MilestoneStatus> {
  return new Map(
    plan.map((m) => {
      const outputs = recorded.get(m.name);
      const done = outputs !== undefined && goalMet(outputs, { ...m, targetRelease }, projectRoot);
      const status: MilestoneStatus = !done
        ? { state: "pending" }
        : outputs.doneByHand !== undefined
          ? { state: "done", completedAt: String(outputs.completedAt), doneByHand: outputs.doneByHand }
          : { state: "done", completedAt: String(outputs.completedAt), log: String(outputs.log) };
      return [m.name, status];
    }),
  );
}
