// The status page kept current during a run by bin/pulumi's follower: the stack is read
// once, at the first step (the program has read the kayobe-config by then), and each
// step's end is applied to that, so no step waits for another state export.
import * as fs from "fs";
import * as path from "path";
import type { StackConfig } from "../config/stack-config";
import type { StepEvent } from "../executor/step-record";
import { processAlive, readSteps } from "../executor/step-record";
import type { Milestone } from "../runbook/plan";
import { estimatePending, recordedDurations } from "./estimate";
import { MilestoneStatus, recordedMilestones } from "./state";
import { renderStatusPage } from "./status-page";
import { StackStatus, stackStatus } from "./status";
import { pulumi, StackView, viewStack } from "./stack-view";

/** The stack's status page, in its scratch folder. */
export function statusPage(config: StackConfig): string {
  return path.join(config.workDir, "status.html");
}

/** Where the stack stands, from its statuses and record now. */
export function statusOf(view: StackView, statuses: Map<string, MilestoneStatus>, durations: Map<string, number>, reference: Map<string, number>): StackStatus {
  const { config, plan } = view;
  const estimate = (pending: Milestone[]) => estimatePending(pending, durations, reference);
  return stackStatus(config.stack, config.targetRelease, plan, statuses, readSteps(config.logDir), processAlive, estimate);
}

/** Writes the stack's status page; returns its path. */
export function writeStatusPage(view: StackView, status: StackStatus): string {
  const file = statusPage(view.config);
  fs.mkdirSync(view.config.workDir, { recursive: true });
  // Written aside, then renamed: a browser reloading it never reads half a page.
  fs.writeFileSync(`${file}.tmp`, renderStatusPage(status, view.plan, new Date().toISOString()));
  fs.renameSync(`${file}.tmp`, file);
  return file;
}

/** Production's steps are estimated from its staging stack's record too. */
export function referenceDurations(view: StackView): Map<string, number> {
  return view.config.stage === "production" ? recordedDurations(recordedMilestones(pulumi(["stack", "export", "--stack", view.config.stagingStack]))) : new Map();
}

export class LivePage {
  private view?: StackView;
  private statuses = new Map<string, MilestoneStatus>();
  private durations = new Map<string, number>();
  private reference = new Map<string, number>();

  constructor(private readonly stack: string) {}

  /** Rewrites the page with a step's event applied; returns its path. */
  update(event?: StepEvent): string {
    if (this.view === undefined) {
      this.view = viewStack(this.stack);
      this.statuses = new Map(this.view.statuses);
      this.durations = recordedDurations(this.view.recorded);
      this.reference = referenceDurations(this.view);
    }
    if (event?.event === "done") {
      this.statuses.set(event.milestone, { state: "done", completedAt: event.at, log: event.log });
      this.durations.set(event.milestone, event.seconds);
    }
    return writeStatusPage(this.view, statusOf(this.view, this.statuses, this.durations, this.reference));
  }
}
