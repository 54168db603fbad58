import * as pulumi from "@pulumi/pulumi";
import type { CommandRecord, Execution } from "../executor/run-commands";
import type { Command } from "../runbook/phases";

/** What a milestone must achieve. A change to any of these is an update: the milestone runs again. */
interface Goal {
  commands: Command[];
  targetRelease: string;
  fingerprint: string;
}

interface Description {
  milestone: string;
  phase: string;
  title: string;
}

export interface MilestoneInputs extends Goal, Description {
  execution: Execution;
  vaultPassword: string;
  /** For commands over SSH (a secret, like the vault password). */
  sshPrivateKey?: string;
}

/** The milestone's record in the state. The vault password and the SSH key are not among them. */
export interface MilestoneOutputs extends Goal, Description {
  releaseReached: string;
  commandsRun: CommandRecord[];
  log: string;
  completedAt: string;
}

/**
 * Runs a milestone's commands on create and update; preview only diffs. Serialized into
 * the state with its executor, so it references nothing else of this project.
 */
class MilestoneProvider implements pulumi.dynamic.ResourceProvider<MilestoneInputs, MilestoneOutputs> {
  async diff(_id: string, olds: MilestoneOutputs, news: MilestoneInputs): Promise<pulumi.dynamic.DiffResult> {
    const goal: (keyof Goal)[] = ["commands", "targetRelease", "fingerprint"];
    const changed = goal.filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  }

  async create(inputs: MilestoneInputs): Promise<pulumi.dynamic.CreateResult<MilestoneOutputs>> {
    return { id: inputs.milestone, outs: await this.achieve(inputs) };
  }

  async update(_id: string, _olds: MilestoneOutputs, news: MilestoneInputs): Promise<pulumi.dynamic.UpdateResult<MilestoneOutputs>> {
    return { outs: await this.achieve(news) };
  }

  async delete(id: string): Promise<void> {
    // Undoing an upgrade is not a thing kayobe does: the milestone only leaves the record.
    console.log(`milestone ${id} forgotten; nothing was undone on the cloud`);
  }

  private async achieve(inputs: MilestoneInputs): Promise<MilestoneOutputs> {
    const { execution, vaultPassword, sshPrivateKey, ...record } = inputs;
    const run = await loadExecutor(execution.cwd).runCommands(inputs.milestone, inputs.commands, execution, vaultPassword, { sshPrivateKey });
    return { ...record, releaseReached: inputs.targetRelease, commandsRun: run.commands, log: run.log, completedAt: new Date().toISOString() };
  }
}

/**
 * The executor, loaded from the project at run time. The provider is serialized into
 * every milestone's state, and carrying the executor there would multiply the state's
 * size (and the time to write it after each step) by the number of milestones.
 */
function loadExecutor(projectRoot: string): typeof import("../executor/run-commands") {
  const load = require("module").createRequire(`${projectRoot}/package.json`);
  if (!process.env.KAYOBE_UPGRADE_TS_REGISTERED) {
    load("ts-node").register({ transpileOnly: true, project: `${projectRoot}/tsconfig.json` });
    process.env.KAYOBE_UPGRADE_TS_REGISTERED = "1";
  }
  return load("./resources/executor/run-commands.ts");
}

const provider = new MilestoneProvider();

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
