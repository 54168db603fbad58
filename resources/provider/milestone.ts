import * as pulumi from "@pulumi/pulumi";
import type { MaintenanceWindow } from "../config/stack-config";
import type { CommandRecord, Execution, Secrets } from "../executor/run-commands";
import type { Gate } from "../promotion/gate";
import type { Command, Risk } from "../runbook/phases";

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
 * Whether what the milestone must achieve differs from what it achieved (or nothing was
 * achieved yet). Paths inside the project (its scratch folder, the simulator) compare
 * relative to it, so operators sharing a stack from clones at different paths agree.
 */
function goalChanged(olds: Partial<Goal> & { projectRoot?: string; execution?: Execution }, news: MilestoneInputs): boolean {
  const relative = (value: unknown, root: string | undefined) => (root === undefined ? JSON.stringify(value) : JSON.stringify(value)?.split(root).join("$PROJECT"));
  const oldRoot = olds.projectRoot ?? olds.execution?.cwd;
  const goal: (keyof Goal)[] = ["commands", "targetRelease", "fingerprint"];
  return goal.some((key) => relative(olds[key], oldRoot) !== relative(news[key], news.execution.cwd));
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

/**
 * Runs a milestone's commands on create and update; preview only diffs. Serialized into
 * the state with its executor, so it references nothing else of this project.
 */
class MilestoneProvider implements pulumi.dynamic.ResourceProvider<MilestoneInputs, MilestoneOutputs> {
  /**
   * Refuses, already at preview, a pending production step that staging has not shown
   * the way for. A pending outage outside the maintenance window is only announced here:
   * the steps before it may still run, and it refuses when its turn comes.
   */
  async check(olds: Partial<MilestoneInputs>, news: MilestoneInputs): Promise<pulumi.dynamic.CheckResult<MilestoneInputs>> {
    if (!goalChanged(olds, news)) return { inputs: news };
    const outage = windowRefusal(news, new Date());
    if (outage !== undefined) console.log(`pending, and needs a maintenance window: ${news.milestone}: ${outage}`);
    const gate = gateRefusal(news);
    return { inputs: news, failures: gate === undefined ? [] : [{ property: "gate", reason: `${news.milestone}: ${gate}` }] };
  }

  async diff(_id: string, olds: MilestoneOutputs, news: MilestoneInputs): Promise<pulumi.dynamic.DiffResult> {
    return { changes: goalChanged(olds, news), replaces: [], deleteBeforeReplace: false };
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
    // Checked when the step's turn comes: a run may reach it after the window closed.
    const closed = windowRefusal(inputs, new Date());
    if (closed !== undefined) throw new Error(`${inputs.milestone}: ${closed}`);
    const { execution, secrets, maintenanceWindow: _window, ...record } = inputs;
    const run = await loadExecutor(execution.cwd).runCommands(inputs.milestone, inputs.commands, execution, secrets);
    return { ...record, projectRoot: execution.cwd, releaseReached: inputs.targetRelease, commandsRun: run.commands, log: run.log, completedAt: new Date().toISOString() };
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
