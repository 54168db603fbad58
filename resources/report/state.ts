import { canonicalJson, Milestone } from "../runbook/plan";

/** A milestone's standing in the stack: done when `pulumi up` would leave it alone. */
export interface MilestoneStatus {
  state: "done" | "pending";
  completedAt?: string;
  log?: string;
}

interface ExportedResource {
  type: string;
  urn: string;
  outputs?: Record<string, unknown>;
}

/**
 * Reads `pulumi stack export` output. A milestone is done when the state holds it with
 * the commands, target release and fingerprint the plan gives it now: the same test
 * the provider's diff applies, so "done" here means "no change" in preview.
 */
export function milestoneStatuses(plan: Milestone[], targetRelease: string, exported: string | undefined): Map<string, MilestoneStatus> {
  const resources: ExportedResource[] = exported === undefined ? [] : (JSON.parse(exported).deployment?.resources ?? []);
  const recorded = new Map(resources.filter((r) => r.type.endsWith(":Milestone")).map((r) => [r.urn.split("::").pop()!, r.outputs ?? {}]));
  return new Map(
    plan.map((m) => {
      const outputs = recorded.get(m.name);
      const done =
        outputs !== undefined &&
        outputs.targetRelease === targetRelease &&
        outputs.fingerprint === m.fingerprint &&
        canonicalJson(outputs.commands) === canonicalJson(m.commands);
      const status: MilestoneStatus = done ? { state: "done", completedAt: String(outputs.completedAt), log: String(outputs.log) } : { state: "pending" };
      return [m.name, status];
    }),
  );
}
