import * as assert from "assert";
import { renderGraphSvg } from "../../resources/report/graph-svg";
import { environmentToSource, renderMilestone, renderPlanDocument } from "../../resources/report/plan-document";
import { milestoneStatuses, MilestoneStatus, recordedMilestones } from "../../resources/report/state";
import { planUpgrade } from "../../resources/runbook/plan";
import { goalDigest } from "../../resources/provider/goal";
import { evaluate, PROJECT, SAMPLE, SHIPPED_SMOKE_TESTS, stagingConfig } from "./fixtures";

/** The statuses a stack export gives, read as the program and the reports read it. */
const statusesOf = (plan: Parameters<typeof milestoneStatuses>[0], release: string, exported: string, root: string) => milestoneStatuses(plan, release, recordedMilestones(exported), root);

const config = stagingConfig({ smokeTests: SHIPPED_SMOKE_TESTS });
const plan = planUpgrade(config, evaluate(config));
const byName = (name: string) => plan.find((m) => m.name === name)!;

/**
 * `pulumi stack export` of a stack where `done` milestones were recorded as the provider
 * records them (the goal as a digest), or as it did before (`whole`: the goal itself).
 */
function exported(done: { name: string; fingerprint?: string; targetRelease?: string; whole?: boolean; toReview?: undefined }[]): string {
  const resources = done.map(({ name, whole, ...overrides }) => {
    const goal = { commands: byName(name).commands, fingerprint: byName(name).fingerprint, targetRelease: "2024.1", toReview: byName(name).toReview, ...overrides };
    const recorded = whole ? goal : { goal: goalDigest(goal, PROJECT), fingerprint: goal.fingerprint };
    return {
      urn: `urn:pulumi:staging::kayobe-upgrade::kayobe-upgrade:runbook:Phase$pulumi-nodejs:dynamic:Resource::${name}`,
      type: "pulumi-nodejs:dynamic/kayobe-upgrade:Milestone",
      outputs: { ...recorded, projectRoot: PROJECT, completedAt: "2024-10-01T10:00:00.000Z", log: `/logs/${name}.log` },
    };
  });
  return JSON.stringify({ version: 3, deployment: { resources } });
}

describe("milestone states from the stack's state", () => {
  it("counts a milestone done only when the state holds it with the plan's commands, target release and fingerprint", () => {
    const statuses = statusesOf(
      plan,
      "2024.1",
      exported([{ name: "rabbitmq-slurp-upgrade" }, { name: "control-host-upgrade", fingerprint: "0000000000000000" }, { name: "pulp-repo-sync", targetRelease: "2023.1" }]),
      PROJECT,
    );
    assert.deepStrictEqual(statuses.get("rabbitmq-slurp-upgrade"), { state: "done", completedAt: "2024-10-01T10:00:00.000Z", log: "/logs/rabbitmq-slurp-upgrade.log" });
    assert.deepStrictEqual(
      ["control-host-upgrade", "pulp-repo-sync", "container-image-pull"].map((name) => statuses.get(name)),
      [{ state: "pending" }, { state: "pending" }, { state: "pending" }],
    );
  });

  it("reads records that kept the goal whole, and counts paths inside the project relative to it", () => {
    const elsewhere = exported([{ name: "overcloud-service-configuration-preview", whole: true }]).split(PROJECT).join("/home/operator/kayobe-upgrade");
    assert.strictEqual(statusesOf(plan, "2024.1", elsewhere, PROJECT).get("overcloud-service-configuration-preview")?.state, "done");
    const changed = exported([{ name: "container-image-pull", whole: true, targetRelease: "2023.1" }]);
    assert.strictEqual(statusesOf(plan, "2024.1", changed, PROJECT).get("container-image-pull")?.state, "pending");
  });

  it("names a step done by hand with its reason, and no log", () => {
    const state = JSON.parse(exported([{ name: "rabbitmq-slurp-upgrade" }]));
    const { log: _log, ...outputs } = state.deployment.resources[0].outputs;
    state.deployment.resources[0].outputs = { ...outputs, doneByHand: "upgraded by hand, change 4711" };
    const status = statusesOf(plan, "2024.1", JSON.stringify(state), PROJECT).get("rabbitmq-slurp-upgrade")!;
    assert.deepStrictEqual(status, { state: "done", completedAt: "2024-10-01T10:00:00.000Z", doneByHand: "upgraded by hand, change 4711" });
    assert.strictEqual(renderMilestone(byName("rabbitmq-slurp-upgrade"), status)[2], "- [x] done by hand, recorded 2024-10-01T10:00:00.000Z: upgraded by hand, change 4711");
  });

  it("counts a check recorded before its review was pending, so that it runs again to make one", () => {
    const statuses = statusesOf(plan, "2024.1", exported([{ name: "overcloud-host-configure-check", toReview: undefined }, { name: "overcloud-host-configure", toReview: undefined }]), PROJECT);
    assert.deepStrictEqual(["overcloud-host-configure-check", "overcloud-host-configure"].map((name) => statuses.get(name)?.state), ["pending", "done"]);
  });

  it("reads a replaced milestone's new record, not the old one still to be deleted", () => {
    // As a run that failed after `--replace` created the new record leaves them: the old one last, marked for deletion.
    const [done, other] = JSON.parse(exported([{ name: "container-image-pull" }, { name: "container-image-pull", targetRelease: "2023.1" }])).deployment.resources;
    const state = (resources: unknown[]) => JSON.stringify({ version: 3, deployment: { resources } });
    assert.strictEqual(statusesOf(plan, "2024.1", state([done, { ...other, delete: true }]), PROJECT).get("container-image-pull")?.state, "done");
    assert.strictEqual(statusesOf(plan, "2024.1", state([other, { ...done, delete: true }]), PROJECT).get("container-image-pull")?.state, "pending");
  });

  it("counts everything pending for a stack without state", () => {
    assert.deepStrictEqual([...statusesOf(plan, "2024.1", JSON.stringify({ version: 3, deployment: {} }), PROJECT).values()].filter((s) => s.state === "done"), []);
  });
});

describe("upgrade plan document", () => {
  const statuses = statusesOf(plan, "2024.1", exported([{ name: "rabbitmq-slurp-upgrade" }]), PROJECT);
  const from = { source: { release: "2023.1", configPath: "/srv/work/source-kayobe-config/etc/kayobe" }, target: { release: "2024.1", configPath: config.kayobeConfigPath } };
  const document = renderPlanDocument({ ...config, sourceConfigRef: "site/2023.1" }, from, plan, statuses, "2024-10-02T08:00:00.000Z");

  it("gives the environment to source, as the runbook does", () => {
    assert.deepStrictEqual(environmentToSource(config), ["source kayobe-env --environment staging", "export KAYOBE_VAULT_PASSWORD=$(cat /path/to/vault/password/file)"]);
    assert.deepStrictEqual(environmentToSource(stagingConfig({ environment: undefined }))[0], "source kayobe-env");
    assert.ok(document.includes("```sh\nsource kayobe-env --environment staging\nexport KAYOBE_VAULT_PASSWORD=$(cat /path/to/vault/password/file)\n```"));
    assert.ok(
      document.includes(
        `## Environment\n\nEvery command runs on the Ansible control host, after the lines below, in its side's kayobe-config:\n\n- the Prerequisites, on 2023.1: \`KAYOBE_CONFIG_PATH\` /srv/work/source-kayobe-config/etc/kayobe (site/2023.1)\n- everything from Preparation on, at 2024.1: \`KAYOBE_CONFIG_PATH\` ${config.kayobeConfigPath}\n`,
      ),
      document.slice(0, 1200),
    );
  });

  it("opens with progress and a schedule by phase, counting what belongs inside the maintenance window", () => {
    assert.ok(document.startsWith("# Upgrade plan: staging, to 2024.1 Caracal\n\nGenerated 2024-10-02T08:00:00.000Z"), document.slice(0, 200));
    assert.match(document, new RegExp(`^1 of ${plan.length} milestones done; 5 belong inside the maintenance window\\.$`, "m"));
    assert.ok(document.includes("| 1 | Prerequisites | 3 | 1 | 1/3 | | |\n| 2 | Preparation | 7 | none | 0/7 | | |\n"));
    assert.ok(document.includes(`| 7 | Upgrading the Overcloud | 20 | 4 | 0/20 | | |\n| 8 | Cleaning up | 1 | none | 0/1 | | |\n`));
  });

  it("lists the prerequisites as a checklist and the configured smoke tests", () => {
    assert.ok(document.includes("## Prerequisites checklist\n\n- [ ] If hypervisors will be rebooted"));
    assert.ok(document.includes("- Smoke tests after Upgrading the Overcloud (`smoke-tests-upgrading-the-overcloud`):\n  - `simulator/baremetal node list`\n"));
    const none = renderPlanDocument(stagingConfig(), { source: from.target, target: from.target }, planUpgrade(stagingConfig(), evaluate(stagingConfig())), new Map(), "now");
    assert.ok(none.includes(`## Environment\n\nEvery command runs on the Ansible control host, from the kayobe-config checkout (\`KAYOBE_CONFIG_PATH\` ${SAMPLE}), after:\n`));
    assert.ok(none.includes("## Smoke tests\n\nNone configured (`kayobe-upgrade:smokeTests`): run your own after significant changes.\n"));
  });

  it("gives each milestone its state, its place in or out of the window, what it waits for and its exact commands", () => {
    const done: MilestoneStatus = { state: "done", completedAt: "2024-10-01T10:00:00.000Z", log: "/logs/x.log" };
    assert.deepStrictEqual(renderMilestone(byName("rabbitmq-quorum-migration"), done).join("\n"), [
      "### rabbitmq-quorum-migration: RabbitMQ quorum queues (migration from HA queues)",
      "",
      "- [x] done 2024-10-01T10:00:00.000Z (log: `/logs/x.log`)",
      "- **inside the maintenance window** (API outage)",
      "- after: `rabbitmq-slurp-upgrade`",
      "",
      "```sh",
      'if ! kayobe overcloud host command run -l controllers -b --command "docker exec rabbitmq rabbitmqctl list_queues type | grep quorum"; then $KAYOBE_CONFIG_PATH/../../tools/rabbitmq-quorum-migration.sh; fi',
      "```",
      "",
      "Notes:",
      "",
    ].join("\n"));
    assert.deepStrictEqual(renderMilestone(byName("seed-host-package-update"), { state: "pending" }).slice(2, 9), [
      "- [ ] pending",
      "- outside the maintenance window, at risk",
      "- after: `seed-hypervisor-host-configure`",
      "",
      "```sh",
      'kayobe seed host package update --packages "*"',
      'kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l seed  # only if kayobe seed host command run --command "needs-restarting -r" --show-output reports a reboot is required',
    ]);
  });

  it("says which step waits for the approval of which review, and where each review is", () => {
    assert.deepStrictEqual(renderMilestone(byName("overcloud-service-upgrade"), { state: "pending" }).slice(4, 6), [
      "- after: `overcloud-database-backup-before-overcloud-service-upgrade`",
      "- and after the approval of what `overcloud-service-configuration-preview` shows, if it shows changes (`kayobe-upgrade:approvals`)",
    ]);
    assert.strictEqual(renderMilestone(byName("seed-host-configure-check"), { state: "pending" })[5], `- review: \`${config.workDir}/reviews/seed-host-configure-check.diff\``);
  });

  it("has a section per phase, in the plan's order, and room for notes", () => {
    const headings = [...document.matchAll(/^## \d+\. (.*)$/gm)].map((m) => m[1]);
    assert.deepStrictEqual(headings, [...new Set(plan.map((m) => m.phase))]);
    assert.deepStrictEqual([...document.matchAll(/^### (\S+):/gm)].map((m) => m[1]), plan.map((m) => m.name));
    assert.ok(document.endsWith("## Notes\n\nProgress, issues, solutions and workarounds:\n\n- \n"));
  });
});

describe("dependency graph picture", () => {
  const statuses = statusesOf(plan, "2024.1", exported([{ name: "rabbitmq-slurp-upgrade" }, { name: "rabbitmq-quorum-migration" }]), PROJECT);
  const svg = renderGraphSvg("Upgrade of staging to 2024.1", plan, statuses);

  it("draws every milestone once, coloured by its state", () => {
    const nodes = [...svg.matchAll(/<g class="milestone (done|pending)" data-name="([^"]+)">/g)].map((m) => [m[2], m[1]]);
    assert.deepStrictEqual(nodes, plan.map((m) => [m.name, statuses.get(m.name)!.state]));
    assert.match(svg, /data-name="rabbitmq-slurp-upgrade"><title>[^<]*<\/title><rect [^>]*fill="#c8e6c9" stroke="#2e7d32"/);
    assert.match(svg, /data-name="control-host-upgrade"><title>[^<]*<\/title><rect [^>]*fill="#ffffff" stroke="#757575"/);
  });

  it("draws one arrow per dependency, a column per phase, and marks the outages", () => {
    assert.strictEqual((svg.match(/marker-end="url\(#arrow\)"/g) ?? []).length, plan.reduce((n, m) => n + m.dependsOn.length, 0));
    assert.deepStrictEqual([...svg.matchAll(/<text [^>]*class="phase">([^<]+)</g)].map((m) => m[1]), [...new Set(plan.map((m) => m.phase))]);
    assert.strictEqual((svg.match(/fill="#c62828"\/>/g) ?? []).length, plan.filter((m) => m.risk === "outage").length + 1, "one mark per outage, one in the legend");
  });

  it("is well-formed: every element it opens it closes", () => {
    const opened = (svg.match(/<(svg|g|defs|marker|title|style)[ >]/g) ?? []).length;
    const closed = (svg.match(/<\/(svg|g|defs|marker|title|style)>/g) ?? []).length;
    assert.strictEqual(opened, closed);
    assert.ok(!/&(?!amp;|lt;|gt;|quot;)/.test(svg), "text is escaped");
  });
});
