import * as pulumi from "@pulumi/pulumi";
import type { MaintenanceWindow } from "../config/stack-config";
import type { CommandRecord, Execution, Secrets } from "../executor/run-commands";
import type { ReviewRecord } from "../executor/review";
import type { Gate } from "../promotion/gate";
import type { Risk } from "../runbook/phases";
import type { Goal } from "./goal";
import type { Approval, ReviewGate } from "./review-gate";

interface Description {
  milestone: string;
  phase: string;
  title: string;
  risk: Risk;
  /** Its place in the runbook's order, as `12/57`. */
  position: string;
  /** On a production stack: whether staging has completed this step (and any override). */
  gate?: Gate;
}

export interface MilestoneInputs extends Omit<Goal, "commands">, Description {
  /** The goal's commands, encoded (./goal.ts encodeCommands). */
  commands: string[];
  /** The operator's reason, when the step was done by hand (kayobe-upgrade:doneByHand): it is recorded, never run. */
  doneByHand?: string;
  execution: Execution;
  /** Why the step cannot run yet (its release's configuration is not there): it refuses, and runs once that is resolved. */
  waiting?: string;
  maintenanceWindow: MaintenanceWindow;
  /** Seconds the step should take, from the record (resources/report/estimate.ts): an outage step, with a scheduled window, starts only if it fits in what is left. */
  estimateSeconds?: number;
  /** A Pulumi secret: encrypted in the state, given to kayobe in its environment only. */
  secrets: Secrets;
  /** For a step applying what a check showed: that check's review, approved or not. */
  reviewGate?: ReviewGate;
}

/**
 * The milestone's record in the state. No secret is among them, and nothing the inputs
 * already hold but what `pulumi stack output` and the plan report read: the state is
 * rewritten after every step, so each byte here is paid once per step of the run.
 */
export interface MilestoneOutputs extends Pick<Description, "milestone" | "phase" | "gate">, Pick<Goal, "fingerprint"> {
  /** The digest of the goal achieved (./goal.ts). */
  goal: string;
  /** Where the project was when the milestone ran: paths in its commands are relative to it. */
  projectRoot: string;
  releaseReached: string;
  commandsRun: Omit<CommandRecord, "argv">[];
  /** None when the step was done by hand. */
  log?: string;
  /** When its commands started (none when done by hand): with completedAt, the duration that estimates are made of. */
  startedAt?: string;
  completedAt: string;
  /** What a look found the cloud had done already, so that it was not done again. */
  foundDone?: string[];
  /** Why nothing ran: the operator's reason for recording the step as done by hand. */
  doneByHand?: string;
  /** What an earlier run of the upgrade left unfinished (killed with its provider or engine), found before this step ran. */
  interrupted?: string[];
  /** What of its run the operator reviews (a check's changes, the configuration diff), for the step it gates. */
  review?: ReviewRecord;
  /** For a gated step: the review it applied, and why it could. */
  approval?: Approval;
}

/**
 * The dynamic provider, as the module text the SDK's dynamic-provider host loads from
 * each milestone's `__provider` property. It only finds the implementation
 * (./milestone-provider.ts, through ./load.js) in the project the engine runs the
 * provider in: its working directory is the project root. The state holds this text
 * twice per milestone and is rewritten after every step, so it is as short as can be
 * (pulumi.dynamic.Resource's serialized closure of the same was 2.5 KB: bench/REPORT.md).
 */
export const PROVIDER_MODULE = `exports.handler=()=>require(process.cwd()+"/resources/provider/load.js");\n`;

export type MilestoneArgs = { [K in keyof Omit<MilestoneInputs, "milestone">]: pulumi.Input<MilestoneInputs[K]> };

/**
 * One milestone of the upgrade runbook, done once its kayobe commands have all succeeded.
 * A dynamic resource, as pulumi.dynamic.Resource declares one, with the provider above.
 */
export class Milestone extends pulumi.CustomResource {
  declare readonly phase: pulumi.Output<string>;
  declare readonly releaseReached: pulumi.Output<string>;
  declare readonly commandsRun: pulumi.Output<MilestoneOutputs["commandsRun"]>;
  declare readonly log: pulumi.Output<string>;
  declare readonly completedAt: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;
  declare readonly review: pulumi.Output<ReviewRecord | undefined>;

  constructor(name: string, args: MilestoneArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { releaseReached: undefined, commandsRun: undefined, log: undefined, completedAt: undefined, review: undefined };
    super("pulumi-nodejs:dynamic/kayobe-upgrade:Milestone", name, { __provider: PROVIDER_MODULE, milestone: name, ...args, ...outputs }, opts);
  }
}
