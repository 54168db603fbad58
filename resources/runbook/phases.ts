import { KayobeConfig } from "../config/kayobe-config";
import type { SettingName } from "../config/settings";
import { StackConfig } from "../config/stack-config";

/**
 * The runbook's phases, in its order ("Overview" in upgrading-openstack.rst). After
 * Preparation the runbook allows any order; this one completes as much as possible
 * before the user-facing overcloud upgrade.
 */
export const PHASES = [
  "Prerequisites",
  "Preparation",
  "Upgrading the Seed Hypervisor",
  "Upgrading the Seed",
  "Upgrading Wazuh Manager",
  "Upgrading Wazuh Agents",
  "Upgrading the Overcloud",
  "Cleaning up",
] as const;

export type Phase = (typeof PHASES)[number];

/**
 * Which release's configuration and kayobe a step runs with: the Prerequisites are done
 * "on Antelope before the Caracal upgrade", the source release; the rest at the target.
 */
export type Side = "source" | "target";

export function sideOf(phase: Phase): Side {
  return phase === "Prerequisites" ? "source" : "target";
}

/** What in the configuration a step's outcome depends on: when it changes, the step runs again. */
export type Driver = "release" | "pulpRepoVersions" | "imageTags" | "kayobeRequirements";

/**
 * A command of a step. Most are argv arrays, written as the runbook writes them
 * (`kayobe` first, `$KAYOBE_CONFIG_PATH` unexpanded). The rest are what the runbook
 * leaves to the operator's judgement or shell, made explicit.
 */
export type Command = string[] | RebootIfRequired | RefuseNodesInWaitState | FixUpPaths | Diff | Remove | Preflight | OverSsh | WithOpenrc | IfStillToDo | Wait | UntilHealthy;

/**
 * "Wait for alerts to clear and run smoke tests before the next host": after a
 * control-plane or storage host's update, its checks run until all pass in one attempt,
 * at most `attempts` times, `intervalSeconds` apart. It gates what follows and achieves
 * nothing itself: it is left out of the step's goal (resources/provider/goal.ts).
 */
export interface UntilHealthy {
  kind: "until-healthy";
  /** The host just updated, which a failure names. */
  host: string;
  checks: HealthCheck[];
  attempts: number;
  intervalSeconds: number;
}

/** One check of a host's health: it passes when its command exits 0. */
export interface HealthCheck {
  name: string;
  argv: string[];
}

/**
 * A step that is not idempotent, done only when a look at the cloud shows it still to
 * do, as StackHPC's tools/upgrade-prerequisites.sh does. The look is a
 * `kayobe overcloud host command run --command "... | grep ..."`: on each host the grep
 * matches (the host's command exits 0) or not (it exits 1, and kayobe reports the host
 * failed). Anything else (an unreachable host, hosts that disagree) stops the step.
 */
export interface IfStillToDo {
  kind: "if-still-to-do";
  look: string[];
  /** Still to do when every host's grep matches (an old version is running), or when none does (no quorum queue yet). */
  toDoWhen: "found" | "not found";
  /** What the cloud is like once this is done, for the record, e.g. "RabbitMQ past 3.11 on the controllers". */
  done: string;
  then: Command[];
}

/** `sleep N`. Its length only tunes how a step runs: it is left out of the step's goal (resources/provider/goal.ts). */
export interface Wait {
  kind: "wait";
  seconds: number;
}

/** `. $KOLLA_CONFIG_PATH/<file>` then a command, as the runbook has it for service credentials. */
export interface WithOpenrc {
  kind: "with-openrc";
  /** A file under $KOLLA_CONFIG_PATH, which kolla-ansible's post-deploy writes. */
  openrc: string;
  argv: string[];
}

/** A command run on another host with OpenSSH's client, as the runbook's `ssh stack@<seed>`. */
export interface OverSsh {
  kind: "ssh";
  /** user@host */
  destination: string;
  port: number;
  /** Host keys are learnt on first use and checked after that. */
  knownHosts: string;
  /** The command on the remote host, as argv; rendered into one shell-quoted string for ssh. */
  argv: string[];
}

/**
 * "If the kernel has been upgraded, reboot": ask the hosts, and reboot only if one needs
 * it. Every host asked must answer (resources/executor/reboot-check.ts): one that cannot
 * is decided by kayobe-upgrade:rebootWithoutAnswer, or stops the step.
 */
export interface RebootIfRequired {
  kind: "reboot-if-required";
  check: string[];
  reboot: string[];
}

/**
 * The runbook's `baremetal node list | grep wait`, a check that blocks what follows. The
 * client's whole answer is read, as JSON (resources/executor/ironic-nodes.ts), and every
 * node in a wait state is named: a table's tail would miss the top of a long list.
 */
export interface RefuseNodesInWaitState {
  kind: "refuse-nodes-in-wait-state";
  /** `baremetal node list` asking for every node, as JSON, with its name and provision state. */
  argv: string[];
  reason: string;
}

/** `cd DIR; for i in *; do mv $i/tmp $i/etc; done` */
export interface FixUpPaths {
  kind: "fix-up-paths";
  dir: string;
}

/** `diff -ru OLD NEW > OUTPUT` (differences are the point, not a failure). */
export interface Diff {
  kind: "diff";
  old: string;
  new: string;
  output: string;
}

/** Clears a scratch folder so an earlier run's files do not mix in. */
export interface Remove {
  kind: "remove";
  path: string;
}

/** Checks the plan's other commands of one side against the installed kayobe, running none of them. */
export interface Preflight {
  kind: "preflight";
  side: Side;
  /** The release the side's commands run at: the kayobe judging them must be of it. */
  release: string;
  /** The kayobe whose own argument parser judges them (its virtualenv's python runs the check). */
  kayobeBin: string;
  /** The side's KAYOBE_CONFIG_PATH, where the playbooks and scripts it names are looked for. */
  kayobeConfigPath: string;
  /** The plan's commands to check, one of each shape (resources/preflight/check-commands.ts). */
  checks: PreflightCheck[];
}

/** A command of the plan for the preflight to check, standing for those alike. */
export interface PreflightCheck {
  milestone: string;
  /** kayobe's, put to its parser; or a script, looked for. */
  kind: "kayobe" | "script";
  argv: string[];
  /**
   * How many more commands of the plan it stands for: kayobe's that differ from it only
   * in the hosts they are limited to, whose verdict from kayobe's parser is the same;
   * the same script with other arguments.
   */
  alike: number;
}

/**
 * How the runbook rates a step for the cloud's users: safe at any time, "at risk" (a
 * failure could disturb services), or causing an API outage, which belongs in a
 * pre-agreed maintenance window.
 */
export type Risk = "safe" | "at risk" | "outage";

/**
 * What an operator reviews of a step's run before another step applies it: check mode's
 * changes (its `--diff`), written to `file` from its output, or the configuration diff a
 * `diff -ru OLD NEW` command writes to `file`.
 */
export type ToReview = { kind: "check-mode"; file: string } | { kind: "config-diff"; file: string; old: string; new: string };

/** One step of the runbook. */
export interface Step {
  /** Unique, stable: the milestone's resource name. */
  name: string;
  phase: Phase;
  /** The runbook's words for what the step achieves. */
  title: string;
  commands: Command[];
  risk: Risk;
  drivenBy: Driver[];
  /**
   * The stack settings its commands are made from that change what it does (the images
   * it builds, the services it upgrades), unset ones as null. They count in its
   * fingerprint: production runs the step only as staging ran it.
   */
  settings?: Partial<Record<SettingName, unknown>>;
  /** What of its run is reviewed: a step gated by it waits for the operator's approval of any change. */
  toReview?: ToReview;
  /** The step whose review, when it shows changes, must be approved (kayobe-upgrade:approvals) before this one runs. */
  gatedBy?: string;
}

/** Everything a phase's steps are planned from. */
export interface PlanInput {
  config: StackConfig;
  kayobe: KayobeConfig;
  /** The milestones the stack has recorded: what was batched once stays so. */
  recorded: string[];
}

export const playbook = (name: string) => `$KAYOBE_CONFIG_PATH/ansible/${name}.yml`;

/** The hosts of an inventory group, empty when the inventory lacks it. */
export function hostsOf(kayobe: KayobeConfig, group: string): string[] {
  return kayobe.inventory[group] ?? [];
}

/** A kayobe variable read as a boolean the way Ansible would read a literal. */
export function enabled(vars: Record<string, unknown>, name: string): boolean {
  const value = vars[name];
  return value === true || (typeof value === "string" && ["true", "yes", "on", "1"].includes(value.toLowerCase()));
}

/**
 * The command a host answers "does a reboot need to happen?" with, for its OS, saying
 * yes or no in words: a host that says neither (needs-restarting missing or failing) has
 * not answered. needs-restarting -r exits 1 when a reboot is required.
 */
export const REBOOT_CHECKS = {
  redhat: "needs-restarting -r",
  ubuntu: 'if [ -e /var/run/reboot-required ]; then cat /var/run/reboot-required; else echo "Reboot should not be necessary: no /var/run/reboot-required"; fi',
};

export function rebootCheck(kayobe: KayobeConfig): string {
  return kayobe.vars.os_distribution === "ubuntu" ? REBOOT_CHECKS.ubuntu : REBOOT_CHECKS.redhat;
}

/** The items a planner kept: `condition && step` leaves false where a step does not apply. */
export function present<T>(items: (T | false)[]): T[] {
  return items.filter((item): item is T => item !== false);
}
