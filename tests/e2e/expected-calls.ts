// The kayobe calls a run of the plan makes, derived from the plan the pure tests check
// against the runbook: the end-to-end tests then check that the engine runs exactly
// these, in this order.
import * as path from "path";
import { StackConfig } from "../../resources/config/stack-config";
import { Command } from "../../resources/runbook/phases";
import { Milestone } from "../../resources/runbook/plan";
import { stackPlan } from "../../resources/runbook/stack-plan";
import { SHIPPED_SMOKE_TESTS, sidesOf, stagingConfig } from "../unit/fixtures";
import { SAMPLE_SITE } from "./workspace";

const SERVICES = "barbican,blazar,cinder,cloudkitty,designate,heat,ironic,keystone,magnum,manila,neutron,nova,octavia";
const ON_CONTROLLERS = "overcloud host command run -l controllers -b --command";

/** What the sample site's quorum migration script runs (samples/kayobe-config-2023.1/tools): prechecks, stop, reset, checks, redeploy, postcheck. */
const QUORUM_MIGRATION = [
  `${ON_CONTROLLERS} timedatectl status | grep 'synchronized: yes'`,
  "overcloud service configuration generate --node-config-dir /tmp/rabbit-migration --kolla-tags none",
  "overcloud service configuration generate --node-config-dir /etc/kolla --kolla-skip-tags rabbitmq-ha-precheck",
  `kolla ansible run stop --yes-i-really-really-mean-it -kt ${SERVICES}`,
  "kolla ansible run rabbitmq-reset-state",
  `${ON_CONTROLLERS} docker exec rabbitmq rabbitmqctl list_queues name --silent | grep -v '^$'`,
  `${ON_CONTROLLERS} docker exec rabbitmq rabbitmqctl list_exchanges name --silent | grep -v '^$' | grep -v '^amq.'`,
  `kolla ansible run deploy-containers -kt ${SERVICES}`,
  `${ON_CONTROLLERS} docker exec rabbitmq rabbitmqctl list_queues type | grep quorum`,
];

/** The shipped staging stack's plan as the program declares it, the preflight at its head. */
export function planOf(root: string, overrides: Partial<StackConfig> = {}): Milestone[] {
  const config = stagingConfig({
    kayobeConfigPath: path.join(root, SAMPLE_SITE, "etc", "kayobe"),
    workDir: "$WORK",
    overcloudImageRegexes: ["ironic-", "nova-api"],
    rabbitmqUpgradeWait: 1,
    smokeTests: SHIPPED_SMOKE_TESTS,
    ...overrides,
  });
  return stackPlan(config, sidesOf(config));
}

/**
 * What the executor runs for one command, in order (file operations and the preflight run
 * nothing), on the simulator's cloud as it starts: RabbitMQ 3.11 with classic queues, so
 * every look finds its step still to do.
 */
export function argvOf(command: Command, rebootRequired: (limit: string) => boolean = () => false): string[][] {
  if (Array.isArray(command)) return [command];
  switch (command.kind) {
    case "reboot-if-required":
      return [command.check, ...(rebootRequired(command.reboot[command.reboot.length - 1]) ? [command.reboot] : [])];
    case "if-still-to-do":
      return [command.look, ...command.then.flatMap((then) => argvOf(then, rebootRequired))];
    case "with-openrc":
      return [command.argv];
    case "refuse-if-output-matches":
      return [command.argv];
    case "diff":
      return [["diff", "-ru", command.old, command.new]];
    case "until-healthy":
      return command.checks.map((check) => check.argv);
    default:
      return [];
  }
}

/** The kayobe calls of one command, as the journal shows them (`kayobe` left out). */
function callsOf(command: Command, rebootRequired: (limit: string) => boolean): string[] {
  return argvOf(command, rebootRequired).flatMap((argv) =>
    argv[0].endsWith("rabbitmq-quorum-migration.sh") ? QUORUM_MIGRATION : argv[0] === "kayobe" ? [argv.slice(1).join(" ")] : path.basename(argv[0]) === "pip" ? [["pip", ...argv.slice(1)].join(" ")] : [],
  );
}

export function expectedCalls(milestones: Milestone[], rebootRequired: (limit: string) => boolean = () => false): string[] {
  return milestones.flatMap((m) => m.commands.flatMap((c) => callsOf(c, rebootRequired)));
}
