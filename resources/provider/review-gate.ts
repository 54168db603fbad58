// A step that applies what a check showed goes ahead only once the operator has approved
// that check's changes, by their digest: the runbook's check mode and `less
// ~/kolla-diff.diff` are for someone to read before the change is made.
import { describeChanges, hasChanges, ReviewRecord } from "../executor/review";
import { NAMESPACE } from "../config/settings";

/** What a gated milestone is given: the review it depends on and the stack's approval of it. */
export interface ReviewGate {
  stack: string;
  /** The milestone whose run was reviewed (the check, the configuration preview). */
  reviewed: string;
  /** Its record; none when it was recorded done by hand. */
  review?: ReviewRecord;
  /** The digest kayobe-upgrade:approvals holds for this milestone, if any. */
  approved?: string;
  /** kayobe-upgrade:reviewGates */
  on: boolean;
}

/** Why a gated milestone went ahead, as its record keeps it. */
export interface Approval {
  reviewed: string;
  digest?: string;
  by: "approval" | "no changes" | "gates off" | "reviewed step done by hand";
}

/** The command that approves a review for a milestone, exactly as the operator types it. */
export function approveCommand(stack: string, milestone: string, digest: string): string {
  return `bin/pulumi config set --path '${NAMESPACE}:approvals["${milestone}"]' ${digest} --stack ${stack}`;
}

/** Whether `milestone` may apply what its gate's review showed, and why; or why not, with what to do. */
export function reviewVerdict(milestone: string, gate: ReviewGate): { approval: Approval } | { refusal: string } {
  const { review, reviewed } = gate;
  if (review === undefined) return { approval: { reviewed, by: "reviewed step done by hand" } };
  const digest = review.digest;
  if (!hasChanges(review)) return { approval: { reviewed, digest, by: "no changes" } };
  if (!gate.on) return { approval: { reviewed, digest, by: "gates off" } };
  if (gate.approved === digest) return { approval: { reviewed, digest, by: "approval" } };
  const shown = `${reviewed} shows changes to ${describeChanges(review)} (${digest})`;
  const stale = gate.approved === undefined ? "" : `; the approval in ${NAMESPACE}:approvals is of ${gate.approved}, changes that are not these (the review changed since)`;
  return {
    refusal:
      `${milestone}: ${shown}${stale}. Review them in ${review.file}, then approve them with\n` +
      `    ${approveCommand(gate.stack, milestone, digest)}\n` +
      `and run bin/pulumi up again: ${reviewed} does not run again.`,
  };
}

/**
 * What preview says of a pending gated milestone: its review is not made yet
 * (`review` "to come"), or what `up` will do with it, and the command to approve it.
 */
export function gateAhead(milestone: string, gate: Omit<ReviewGate, "review"> & { review?: ReviewRecord | "to come" }): string {
  const { review, reviewed } = gate;
  if (review === "to come") return `review gate ahead: ${milestone} waits for the approval of what ${reviewed} shows, if it shows changes`;
  const verdict = reviewVerdict(milestone, { ...gate, review });
  if ("refusal" in verdict) return `review gate ahead: ${verdict.refusal}`;
  const why = { approval: `its changes (${verdict.approval.digest}) are approved`, "no changes": "it shows no changes", "reviewed step done by hand": "it was done by hand", "gates off": "review gates are off" }[verdict.approval.by];
  return `review gate ahead: ${milestone} goes ahead after ${reviewed}: ${why}`;
}
