// The runbook's "upgrade plan" (Preparation > Upgrade plan): the exact commands to copy
// and paste, a schedule, checklists and room for notes, written from the very plan the
// stack carries out.
import type { StackConfig } from "../config/stack-config";
import { renderCommand } from "../runbook/render";
import { Risk, Side } from "../runbook/phases";
import { Milestone } from "../runbook/plan";
import { codename } from "../runbook/releases";
import { isSmokeTest } from "../runbook/smoke-tests";
import { MilestoneStatus } from "./state";

/** The runbook's suggested prerequisites ("Prerequisites"), and backing up ("Backing up"). */
export const PREREQUISITES = [
  "If hypervisors will be rebooted, e.g. to pick up a new kernel, or reprovisioned, there is sufficient hypervisor capacity to drain at least one node",
  "If using Ironic for bare metal compute, at least one node is available for testing provisioning",
  "Expected test suites are passing, e.g. Tempest",
  "No Prometheus alerts",
  "No unexpected `ERROR` or `CRITICAL` messages in OpenSearch Dashboard",
  "Grafana dashboards checked",
  "The deployment uses the latest images and configuration of the release it leaves",
  "Local changes, configuration and data backed up (including the overcloud MariaDB database)",
  "Source code forks (other than StackHPC's) updated to the target release",
  "Kayobe configuration migrated to the target release, reviewed and merged",
];

/** The runbook's "Testing" list, after the overcloud upgrade. */
export const SYSTEM_TESTS = ["Check Prometheus, OpenSearch Dashboards and Grafana", "Smoke tests", "All applicable tempest tests", "Horizon UI inspection"];

const WINDOW: Record<Risk, string> = {
  outage: "**inside the maintenance window** (API outage)",
  "at risk": "outside the maintenance window, at risk",
  safe: "outside the maintenance window, safe",
};

/** What the operator sources before any command of the plan, as the runbook says. */
export function environmentToSource(config: StackConfig): string[] {
  return [`source kayobe-env${config.environment ? ` --environment ${config.environment}` : ""}`, "export KAYOBE_VAULT_PASSWORD=$(cat /path/to/vault/password/file)"];
}

/** Where each side's commands run from: the Prerequisites on the source release, the rest at the target. */
export type RunsFrom = Record<Side, { release: string; configPath: string }>;

/** The Environment section: where each side runs from, after what. */
function environment(config: StackConfig, from: RunsFrom): string[] {
  const where =
    from.source.configPath === from.target.configPath
      ? [`Every command runs on the Ansible control host, from the kayobe-config checkout (\`KAYOBE_CONFIG_PATH\` ${from.target.configPath}), after:`]
      : [
          "Every command runs on the Ansible control host, after the lines below, in its side's kayobe-config:",
          "",
          `- the Prerequisites, on ${from.source.release}: \`KAYOBE_CONFIG_PATH\` ${from.source.configPath} (${config.sourceConfigRef})`,
          `- everything from Preparation on, at ${from.target.release}: \`KAYOBE_CONFIG_PATH\` ${from.target.configPath}`,
        ];
  return [...where, "", "```sh", ...environmentToSource(config), "```"];
}

export function renderPlanDocument(config: StackConfig, from: RunsFrom, plan: Milestone[], statuses: Map<string, MilestoneStatus>, generatedAt: string): string {
  const done = plan.filter((m) => statuses.get(m.name)?.state === "done").length;
  const phases = [...new Set(plan.map((m) => m.phase))];
  const inPhase = (phase: string) => plan.filter((m) => m.phase === phase);
  const lines = [
    `# Upgrade plan: ${config.stack}, to ${config.targetRelease} ${capitalised(codename(config.targetRelease))}`,
    "",
    `Generated ${generatedAt} from the stack's configuration and state: the plan \`bin/pulumi up --stack ${config.stack}\` carries out.`,
    `${done} of ${plan.length} milestones done; ${plan.filter((m) => m.risk === "outage").length} belong inside the maintenance window.`,
    "",
    "## Environment",
    "",
    ...environment(config, from),
    "",
    "## Schedule",
    "",
    "| # | phase | milestones | inside the maintenance window | done | planned start | actual start |",
    "|---|---|---|---|---|---|---|",
    ...phases.map((phase, i) => {
      const steps = inPhase(phase);
      const outages = steps.filter((m) => m.risk === "outage").length;
      const finished = steps.filter((m) => statuses.get(m.name)?.state === "done").length;
      return `| ${i + 1} | ${phase} | ${steps.length} | ${outages > 0 ? `${outages}` : "none"} | ${finished}/${steps.length} | | |`;
    }),
    "",
    "## Prerequisites checklist",
    "",
    ...PREREQUISITES.map((item) => `- [ ] ${item}`),
    "",
    "## Smoke tests",
    "",
    ...smokeTests(plan),
    "",
    "After the upgrade (the runbook's \"Testing\"):",
    "",
    ...SYSTEM_TESTS.map((item) => `- [ ] ${item}`),
    "",
    ...phases.flatMap((phase, i) => [`## ${i + 1}. ${phase}`, "", ...inPhase(phase).flatMap((m) => renderMilestone(m, statuses.get(m.name)))]),
    "## Notes",
    "",
    "Progress, issues, solutions and workarounds:",
    "",
    "- ",
    "",
  ];
  return lines.join("\n");
}

/** One milestone: its state, where it belongs, what it waits for, its exact commands, room for notes. */
export function renderMilestone(m: Milestone, status: MilestoneStatus | undefined): string[] {
  const state =
    status?.state !== "done" ? "- [ ] pending" : status.doneByHand !== undefined ? `- [x] done by hand, recorded ${status.completedAt}: ${status.doneByHand}` : `- [x] done ${status.completedAt} (log: \`${status.log}\`)`;
  return [
    `### ${m.name}: ${m.title}`,
    "",
    state,
    `- ${WINDOW[m.risk]}`,
    `- after: ${m.dependsOn.length > 0 ? m.dependsOn.map((name) => `\`${name}\``).join(", ") : "nothing"}`,
    ...(m.gatedBy === undefined ? [] : [`- and after the approval of what \`${m.gatedBy}\` shows, if it shows changes (\`kayobe-upgrade:approvals\`)`]),
    ...(m.toReview === undefined ? [] : [`- review: \`${m.toReview.file}\``]),
    "",
    "```sh",
    ...m.commands.map(renderCommand),
    "```",
    "",
    "Notes:",
    "",
  ];
}

/** The smoke tests configured between phases; they are milestones of their own. */
function smokeTests(plan: Milestone[]): string[] {
  const tests = plan.filter(isSmokeTest);
  if (tests.length === 0) return ["None configured (`kayobe-upgrade:smokeTests`): run your own after significant changes."];
  return tests.flatMap((m) => [`- ${m.title} (\`${m.name}\`):`, ...m.commands.map((c) => `  - \`${renderCommand(c)}\``)]);
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
