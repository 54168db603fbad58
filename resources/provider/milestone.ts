import * as pulumi from "@pulumi/pulumi";
import type { MaintenanceWindow } from "../config/stack-config";
import type { CommandRecord, Execution, Secrets } from "../executor/run-commands";
import type { MilestoneProvider } from "./milestone-provider";
import type { Gate } from "../promotion/gate";
import type { Command, Risk } from "../runbook/phases";

/** What a milestone must achieve. A change to any of these is an update: the milestone runs again. */
export interface Goal {
  commands: Command[];
  targetRelease: string;
  fingerprint: string;
}

interface Description {
  milestone: string;
  phase: string;
  title: string;
  risk: Risk;
  /** On a production stack: whether staging has completed this step (and any override). */
  gate?: Gate;
}

export interface MilestoneInputs extends Goal, Description {
  execution: Execution;
  maintenanceWindow: MaintenanceWindow;
  /** A Pulumi secret: encrypted in the state, given to kayobe in its environment only. */
  secrets: Secrets;
}

/** The milestone's record in the state. No secret is among them. */
export interface MilestoneOutputs extends Goal, Description {
  /** Where the project was when the milestone ran: paths in its commands are relative to it. */
  projectRoot: string;
  releaseReached: string;
  commandsRun: CommandRecord[];
  log: string;
  completedAt: string;
}

/**
 * The implementation (./milestone-provider.ts), loaded from the project at run time. The
 * provider is serialized into every milestone's state, and carrying its code there would
 * multiply the state's size (and the time to write it after each step) by the number of
 * milestones.
 */
function implementation(projectRoot: string): MilestoneProvider {
  const load = require("module").createRequire(`${projectRoot}/package.json`);
  if (!process.env.KAYOBE_UPGRADE_TS_REGISTERED) {
    load("ts-node").register({ transpileOnly: true, project: `${projectRoot}/tsconfig.json` });
    process.env.KAYOBE_UPGRADE_TS_REGISTERED = "1";
  }
  return new (load("./resources/provider/milestone-provider.ts").MilestoneProvider)();
}

/** What is serialized: each method hands over to the implementation, found from the project root in the inputs. */
const provider: pulumi.dynamic.ResourceProvider<MilestoneInputs, MilestoneOutputs> = {
  check: (olds, news) => implementation(news.execution.cwd).check(olds, news),
  diff: (id, olds, news) => implementation(news.execution.cwd).diff(id, olds, news),
  create: (inputs) => implementation(inputs.execution.cwd).create(inputs),
  update: (id, olds, news) => implementation(news.execution.cwd).update(id, olds, news),
  // Undoing an upgrade is not a thing kayobe does: the milestone only leaves the record.
  delete: async (id) => console.log(`milestone ${id} forgotten; nothing was undone on the cloud`),
};


export type MilestoneArgs = { [K in keyof Omit<MilestoneInputs, "milestone">]: pulumi.Input<MilestoneInputs[K]> };

/** One milestone of the upgrade runbook, done once its kayobe commands have all succeeded. */
export class Milestone extends pulumi.dynamic.Resource {
  declare readonly phase: pulumi.Output<string>;
  declare readonly releaseReached: pulumi.Output<string>;
  declare readonly commandsRun: pulumi.Output<CommandRecord[]>;
  declare readonly log: pulumi.Output<string>;
  declare readonly completedAt: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;

  constructor(name: string, args: MilestoneArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { releaseReached: undefined, commandsRun: undefined, log: undefined, completedAt: undefined };
    super(provider, name, { milestone: name, ...args, ...outputs }, opts, "kayobe-upgrade", "Milestone");
  }
}
