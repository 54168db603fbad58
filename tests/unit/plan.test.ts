import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { StackConfig } from "../../resources/config/stack-config";
import { renderCommand } from "../../resources/runbook/render";
import { PHASE_ORDER, planUpgrade } from "../../resources/runbook/plan";
import { uncheckedPrerequisites } from "../../resources/runbook/prerequisites";
import { stackPlan } from "../../resources/runbook/stack-plan";
import { isSmokeTest } from "../../resources/runbook/smoke-tests";
import { copyOfSample, evaluate, PROJECT, SHIPPED_SMOKE_TESTS, sidesOf, stagingConfig } from "./fixtures";

function planFor(kayobeConfigPath?: string, overrides: Partial<StackConfig> = {}) {
  const config = stagingConfig({ ...(kayobeConfigPath ? { kayobeConfigPath } : {}), ...overrides });
  return planUpgrade(config, evaluate(config));
}

/** A kayobe-config copy at the next release, which a config names as kayobe 16 cannot know it. */
function atEpoxy(dir: string): void {
  fs.writeFileSync(path.join(dir, "openstack.yml"), 'openstack_release: "2025.1"\nopenstack_release_codename: epoxy\n');
}

/** The staging environment's hosts replaced by one INI inventory. */
function inventory(dir: string, ini: string): void {
  const folder = path.join(dir, "environments", "staging", "inventory");
  fs.rmSync(folder, { recursive: true });
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, "hosts"), ini);
}

/** Each milestone as [phase, name, its commands as the runbook writes them], the stack's scratch folder as $WORK, this project as $PROJECT. */
function rendered(plan: ReturnType<typeof planFor>, workDir = stagingConfig().workDir) {
  return plan.map((m) => [m.phase, m.name, m.commands.map((c) => renderCommand(c).split(workDir).join("$WORK").split(PROJECT).join("$PROJECT"))]);
}

/** The wait for the cloud's health after a control-plane or storage host (resources/runbook/host-health.ts), its containers checked with the controllers'. */
const healthAfter = (host: string, limit = "controllers") =>
  `until kayobe overcloud host command run -l ${limit} -b --command "ps=\\$(docker ps --all --format \\"{{.Names}} {{.Status}}\\") && ! echo \\"\\$ps\\" | grep -E \\"Restarting|\\\\(unhealthy\\\\)\\"" --show-output && kayobe overcloud host command run -l controllers -b --command "docker exec mariadb sh -c 'mysql --user=\\"\\$MYSQL_USERNAME\\" --password=\\"\\$MYSQL_PASSWORD\\" --batch --skip-column-names --execute=\\"SHOW STATUS LIKE \\\\\\"wsrep_cluster_size\\\\\\"\\"' | awk '{ print } \\$2 == 3 { ok = 1 } END { exit !ok }'" --show-output && kayobe overcloud host command run -l controllers -b --command "docker exec rabbitmq rabbitmqctl await_online_nodes 3 --timeout 10" --show-output; do sleep 20; done  # after ${host}, at most 30 times`;

/** The shipped staging stack's whole upgrade, checked against upgrading-openstack.rst by hand. */
const STAGING: [string, string, string[]][] = [
  ["Prerequisites", "rabbitmq-slurp-upgrade", [
    "kayobe overcloud service configuration generate --node-config-dir /tmp/ignore -kt none",
    'if kayobe overcloud host command run -l controllers -b --command "docker exec rabbitmq rabbitmqctl --version | grep -F 3.11." --show-output; then kayobe kolla ansible run "rabbitmq-upgrade 3.12"; sleep 200; fi',
    'if kayobe overcloud host command run -l controllers -b --command "docker exec rabbitmq rabbitmqctl --version | grep -F 3.12." --show-output; then kayobe kolla ansible run "rabbitmq-upgrade 3.13"; fi',
  ]],
  ["Prerequisites", "rabbitmq-quorum-migration", [
    'if ! kayobe overcloud host command run -l controllers -b --command "docker exec rabbitmq rabbitmqctl list_queues type | grep quorum"; then $KAYOBE_CONFIG_PATH/../../tools/rabbitmq-quorum-migration.sh; fi',
  ]],
  ["Prerequisites", "smoke-tests-prerequisites", [
    "simulator/baremetal node list",
  ]],
  ["Preparation", "kayobe-environment-reinstall", [
    "$PROJECT/simulator/pip install --force-reinstall -r $KAYOBE_CONFIG_PATH/../../requirements.txt",
  ]],
  ["Preparation", "control-host-upgrade", [
    "kayobe control host upgrade",
  ]],
  ["Preparation", "pulp-repo-sync", [
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-repo-sync.yml",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-repo-publish.yml",
  ]],
  ["Preparation", "pulp-container-sync", [
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-container-sync.yml",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/pulp-container-publish.yml",
  ]],
  ["Preparation", "overcloud-container-image-build", [
    "kayobe overcloud container image build --push ironic- nova-api",
  ]],
  ["Preparation", "container-image-pull", [
    "kayobe overcloud host command run --command \"df -h\" --show-output --limit controllers[0],compute[0],storage[0]",
    "kayobe overcloud container image pull",
  ]],
  ["Preparation", "overcloud-service-configuration-preview", [
    "rm -rf $WORK/kolla-diff",
    "kayobe overcloud service configuration save --node-config-dir /etc/kolla --output-dir $WORK/kolla-diff/old --limit controllers[0],compute[0],storage[0] --exclude ironic-agent.initramfs,ironic-agent.kernel",
    "kayobe overcloud service configuration generate --node-config-dir /tmp/kolla --kolla-limit controllers[0],compute[0],storage[0]",
    "kayobe overcloud service configuration save --node-config-dir /tmp/kolla --output-dir $WORK/kolla-diff/new --limit controllers[0],compute[0],storage[0] --exclude ironic-agent.initramfs,ironic-agent.kernel",
    "cd $WORK/kolla-diff/new; for i in *; do mv $i/tmp $i/etc; done",
    "diff -ru $WORK/kolla-diff/old $WORK/kolla-diff/new > $WORK/kolla-diff.diff",
  ]],
  ["Upgrading the Seed Hypervisor", "seed-hypervisor-host-package-update", [
    "kayobe seed hypervisor host package update --packages \"*\"",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l seed-hypervisor  # only if kayobe seed hypervisor host command run --command \"needs-restarting -r\" --show-output reports a reboot is required",
  ]],
  ["Upgrading the Seed Hypervisor", "seed-hypervisor-host-upgrade", [
    "kayobe seed hypervisor host upgrade",
  ]],
  ["Upgrading the Seed Hypervisor", "seed-hypervisor-host-configure-check", [
    "kayobe seed hypervisor host configure --check --diff",
  ]],
  ["Upgrading the Seed Hypervisor", "seed-hypervisor-host-configure", [
    "kayobe seed hypervisor host configure",
  ]],
  ["Upgrading the Seed", "seed-host-package-update", [
    "kayobe seed host package update --packages \"*\"",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l seed  # only if kayobe seed host command run --command \"needs-restarting -r\" --show-output reports a reboot is required",
  ]],
  ["Upgrading the Seed", "seed-deployment-image-build", [
    "kayobe seed deployment image build",
  ]],
  ["Upgrading the Seed", "seed-host-upgrade", [
    "kayobe seed host upgrade",
  ]],
  ["Upgrading the Seed", "seed-host-configure-check", [
    "kayobe seed host configure --check --diff",
  ]],
  ["Upgrading the Seed", "seed-host-configure", [
    "kayobe seed host configure",
  ]],
  ["Upgrading the Seed", "seed-container-image-build", [
    "kayobe seed container image build --push",
  ]],
  ["Upgrading the Seed", "seed-service-upgrade", [
    "kayobe seed service upgrade",
  ]],
  ["Upgrading Wazuh Manager", "wazuh-manager-host-package-update", [
    "kayobe infra vm host package update --packages \"*\" -l wazuh-manager",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l wazuh-manager  # only if kayobe infra vm host command run --command \"needs-restarting -r\" --show-output -l wazuh-manager reports a reboot is required",
  ]],
  ["Upgrading Wazuh Manager", "wazuh-manager-host-configure-check", [
    "kayobe infra vm host configure --check --diff -l wazuh-manager",
  ]],
  ["Upgrading Wazuh Manager", "wazuh-manager-host-configure", [
    "kayobe infra vm host configure -l wazuh-manager",
  ]],
  ["Upgrading Wazuh Manager", "wazuh-manager-services", [
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/wazuh-manager.yml",
  ]],
  ["Upgrading Wazuh Agents", "wazuh-agent-services", [
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/wazuh-agent.yml",
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-ctl-01", [
    "kayobe overcloud host package update --packages \"*\" --limit stg-ctl-01",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-ctl-01  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-ctl-01 reports a reboot is required",
    healthAfter("stg-ctl-01"),
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-ctl-02", [
    "kayobe overcloud host package update --packages \"*\" --limit stg-ctl-02",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-ctl-02  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-ctl-02 reports a reboot is required",
    healthAfter("stg-ctl-02"),
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-ctl-03", [
    "kayobe overcloud host package update --packages \"*\" --limit stg-ctl-03",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-ctl-03  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-ctl-03 reports a reboot is required",
    healthAfter("stg-ctl-03"),
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-stg-01", [
    "kayobe overcloud host package update --packages \"*\" --limit stg-stg-01",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-stg-01  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-stg-01 reports a reboot is required",
    healthAfter("stg-stg-01", "controllers,stg-stg-01"),
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-stg-02", [
    "kayobe overcloud host package update --packages \"*\" --limit stg-stg-02",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-stg-02  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-stg-02 reports a reboot is required",
    healthAfter("stg-stg-02", "controllers,stg-stg-02"),
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-stg-03", [
    "kayobe overcloud host package update --packages \"*\" --limit stg-stg-03",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-stg-03  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-stg-03 reports a reboot is required",
    healthAfter("stg-stg-03", "controllers,stg-stg-03"),
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-cmp-01", [
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/nova-compute-disable.yml $KAYOBE_CONFIG_PATH/ansible/nova-compute-drain.yml --limit stg-cmp-01",
    "kayobe overcloud host package update --packages \"*\" --limit stg-cmp-01",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-cmp-01  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-cmp-01 reports a reboot is required",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/nova-compute-enable.yml --limit stg-cmp-01",
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-cmp-02", [
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/nova-compute-disable.yml $KAYOBE_CONFIG_PATH/ansible/nova-compute-drain.yml --limit stg-cmp-02",
    "kayobe overcloud host package update --packages \"*\" --limit stg-cmp-02",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-cmp-02  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-cmp-02 reports a reboot is required",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/nova-compute-enable.yml --limit stg-cmp-02",
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-cmp-03", [
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/nova-compute-disable.yml $KAYOBE_CONFIG_PATH/ansible/nova-compute-drain.yml --limit stg-cmp-03",
    "kayobe overcloud host package update --packages \"*\" --limit stg-cmp-03",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-cmp-03  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-cmp-03 reports a reboot is required",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/nova-compute-enable.yml --limit stg-cmp-03",
  ]],
  ["Upgrading the Overcloud", "overcloud-host-package-update-stg-cmp-04", [
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/nova-compute-disable.yml $KAYOBE_CONFIG_PATH/ansible/nova-compute-drain.yml --limit stg-cmp-04",
    "kayobe overcloud host package update --packages \"*\" --limit stg-cmp-04",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/reboot.yml -l stg-cmp-04  # only if kayobe overcloud host command run --command \"needs-restarting -r\" --show-output --limit stg-cmp-04 reports a reboot is required",
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/nova-compute-enable.yml --limit stg-cmp-04",
  ]],
  ["Upgrading the Overcloud", "overcloud-host-upgrade", [
    "kayobe overcloud host upgrade",
  ]],
  ["Upgrading the Overcloud", "overcloud-host-configure-check", [
    "kayobe overcloud host configure --check --diff",
  ]],
  ["Upgrading the Overcloud", "overcloud-host-configure", [
    "kayobe overcloud host configure",
  ]],
  ["Upgrading the Overcloud", "overcloud-deployment-image-build", [
    "kayobe overcloud deployment image build",
  ]],
  ["Upgrading the Overcloud", "baremetal-compute-update-deployment-image", [
    "kayobe baremetal compute update deployment image",
  ]],
  ["Upgrading the Overcloud", "ironic-wait-state-check", [
    "baremetal node list --limit 0 -f json -c UUID -c Name -c \"Provisioning State\"  # no node's Provisioning State may be a wait state",
  ]],
  ["Upgrading the Overcloud", "overcloud-database-backup-before-overcloud-service-upgrade", [
    "kayobe overcloud database backup",
  ]],
  ["Upgrading the Overcloud", "overcloud-service-upgrade", [
    "kayobe overcloud service upgrade",
  ]],
  ["Upgrading the Overcloud", "octavia-amphora-image", [
    "kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/octavia-amphora-image-build.yml",
    ". $KOLLA_CONFIG_PATH/octavia-openrc.sh && kayobe playbook run $KAYOBE_CONFIG_PATH/ansible/octavia-amphora-image-register.yml",
  ]],
  ["Upgrading the Overcloud", "smoke-tests-upgrading-the-overcloud", [
    "simulator/baremetal node list",
  ]],
  ["Cleaning up", "container-image-prune", [
    "kayobe overcloud host command run -b --command \"docker image prune -a -f\"",
  ]],

];

function fingerprints(kayobeConfigPath?: string): Record<string, string> {
  return Object.fromEntries(planFor(kayobeConfigPath).map((m) => [m.name, m.fingerprint]));
}

function changedBy(file: string, from: string, to: string): string[] {
  const dir = copyOfSample();
  const target = path.join(dir, file);
  const text = fs.readFileSync(target, "utf8");
  assert.ok(text.includes(from), `${file} has ${from}`);
  fs.writeFileSync(target, text.replace(from, to));
  const before = fingerprints();
  const after = fingerprints(dir);
  return Object.keys(before).filter((name) => before[name] !== after[name]);
}

describe("upgrade plan", () => {
  it("gives every command of the runbook that applies to the sample, as the runbook writes it, in its order", () => {
    const plan = planFor(undefined, { overcloudImageRegexes: ["ironic-", "nova-api"], smokeTests: SHIPPED_SMOKE_TESTS });
    assert.deepStrictEqual(rendered(plan), STAGING);
    assert.deepStrictEqual(
      plan.map((m) => m.dependsOn),
      plan.map((_, i) => (i === 0 ? [] : [plan[i - 1].name])),
      "a chain in the runbook's order",
    );
  });

  it("lets the phases after Preparation run side by side when asked, but the Wazuh agents after their manager and the seed after its hypervisor, with Cleaning up after all of them", () => {
    const plan = planFor(undefined, { parallelPhases: true });
    const first = (phase: string) => plan.find((m) => m.phase === phase)!;
    for (const phase of ["Upgrading the Seed Hypervisor", "Upgrading Wazuh Manager", "Upgrading the Overcloud"]) {
      assert.deepStrictEqual(first(phase).dependsOn, ["overcloud-service-configuration-preview"], phase);
    }
    assert.deepStrictEqual(first("Upgrading Wazuh Agents").dependsOn, ["wazuh-manager-services"]);
    assert.deepStrictEqual(first("Upgrading the Seed").dependsOn, ["seed-hypervisor-host-configure"]);
    assert.deepStrictEqual(first("Preparation").dependsOn, ["rabbitmq-quorum-migration"]);
    assert.deepStrictEqual(first("Cleaning up").dependsOn, ["seed-hypervisor-host-configure", "seed-service-upgrade", "wazuh-manager-services", "wazuh-agent-services", "octavia-amphora-image"]);
  });

  it("keeps every order between phases in the graph, side by side or not: each milestone of the later phase waits for every one of the earlier", () => {
    for (const parallelPhases of [false, true]) {
      const plan = planFor(undefined, { parallelPhases });
      const dependsOn = new Map(plan.map((m) => [m.name, m.dependsOn]));
      const ancestors = (name: string, seen = new Set<string>()): Set<string> => {
        for (const parent of dependsOn.get(name)!) if (!seen.has(parent)) ancestors(parent, seen.add(parent));
        return seen;
      };
      for (const { before, after } of PHASE_ORDER) {
        const earlier = plan.filter((m) => m.phase === before).map((m) => m.name);
        const later = plan.filter((m) => m.phase === after);
        assert.ok(earlier.length > 0 && later.length > 0, `the sample has both ${before} and ${after}`);
        for (const m of later) assert.deepStrictEqual(earlier.filter((name) => !ancestors(m.name).has(name)), [], `${m.name} (parallelPhases ${parallelPhases})`);
      }
    }
  });

  it("runs the smoke tests as the last milestone of their phase, so that a failure blocks the next phase", () => {
    const plan = planFor(undefined, { smokeTests: { "Upgrading the Seed": [["openstack", "server", "list"], ["tools/smoke.sh", "seed"]] } });
    const index = plan.findIndex((m) => m.name === "smoke-tests-upgrading-the-seed");
    assert.deepStrictEqual(
      [plan[index - 1].name, plan[index], plan[index + 1].dependsOn],
      ["seed-service-upgrade", { ...plan[index], phase: "Upgrading the Seed", title: "Smoke tests after Upgrading the Seed", commands: [["openstack", "server", "list"], ["tools/smoke.sh", "seed"]], risk: "safe", dependsOn: ["seed-service-upgrade"] }, ["smoke-tests-upgrading-the-seed"]],
    );
    assert.strictEqual(plan[index + 1].name, "wazuh-manager-host-package-update");
  });

  it("verifies Bifrost, Ironic and Inspector on the seed over SSH after its package update and after its service upgrade", () => {
    const seedSsh = { user: "stack", host: "192.168.33.5", port: 22, knownHosts: "/w/known_hosts" };
    const plan = planFor(undefined, { seedSsh });
    const check = `ssh -p 22 stack@192.168.33.5 'sudo docker exec bifrost_deploy bash -c "systemctl is-active ironic ironic-inspector && export OS_CLOUD=bifrost && baremetal node list && baremetal introspection list"'`;
    const seed = rendered(plan).filter(([phase]) => phase === "Upgrading the Seed");
    assert.deepStrictEqual(seed.map(([, name]) => name), [
      "seed-host-package-update",
      "seed-bifrost-check-after-host-package-update",
      "seed-deployment-image-build",
      "seed-host-upgrade",
      "seed-host-configure-check",
      "seed-host-configure",
      "seed-container-image-build",
      "seed-service-upgrade",
      "seed-bifrost-check",
    ]);
    assert.deepStrictEqual([seed[1][2], seed[8][2]], [[check], [check]]);
    assert.deepStrictEqual(plan.find((m) => m.name === "seed-deployment-image-build")!.dependsOn, ["seed-bifrost-check-after-host-package-update"]);
    assert.ok(!planFor().some((m) => m.name.startsWith("seed-bifrost-check")), "no checks without seedSshHost");
  });

  it("leaves out smoke tests after a phase with nothing to do for this deployment", () => {
    const dir = copyOfSample();
    inventory(dir, "[controllers]\nc1\n[compute]\nh1\n");
    const smokeTests = { ...SHIPPED_SMOKE_TESTS, "Upgrading Wazuh Manager": [["openstack", "server", "list"]] };
    const names = planFor(dir, { smokeTests }).filter(isSmokeTest).map((m) => m.name);
    assert.deepStrictEqual(names, ["smoke-tests-prerequisites", "smoke-tests-upgrading-the-overcloud"]);
  });

  it("promotes Pulp content to production only on a production stack, after the repository sync", () => {
    const names = (stage: "staging" | "production") => planFor(undefined, { stage }).map((m) => m.name);
    assert.ok(!names("staging").includes("pulp-repo-promote-production"));
    const production = planFor(undefined, { stage: "production" });
    const promote = production.find((m) => m.name === "pulp-repo-promote-production")!;
    assert.deepStrictEqual(promote.commands, [["kayobe", "playbook", "run", "$KAYOBE_CONFIG_PATH/ansible/pulp-repo-promote-production.yml"]]);
    assert.deepStrictEqual(promote.dependsOn, ["pulp-repo-sync"]);
  });

  it("updates the VIP holder last and hypervisors in batches", () => {
    const plan = planFor(undefined, { vipHost: "stg-ctl-01", hypervisorBatchSize: 3 });
    assert.deepStrictEqual(
      plan.filter((m) => m.name.startsWith("overcloud-host-package-update-")).map((m) => m.name.replace("overcloud-host-package-update-", "")),
      ["stg-ctl-02", "stg-ctl-03", "stg-ctl-01", "stg-stg-01", "stg-stg-02", "stg-stg-03", "stg-cmp-01+stg-cmp-02+stg-cmp-03", "stg-cmp-04"],
    );
    const batch = plan.find((m) => m.name === "overcloud-host-package-update-stg-cmp-01+stg-cmp-02+stg-cmp-03")!;
    assert.deepStrictEqual(batch.commands[1], ["kayobe", "overcloud", "host", "package", "update", "--packages", "*", "--limit", "stg-cmp-01,stg-cmp-02,stg-cmp-03"]);
  });

  it("keeps the hypervisor batches the stack has recorded when the batch size changes, batching only the hosts not yet updated", () => {
    const config = stagingConfig({ hypervisorBatchSize: 3 });
    const batches = (recorded: string[]) =>
      planUpgrade(config, evaluate(config), evaluate(config), recorded)
        .filter((m) => m.name.startsWith("overcloud-host-package-update-stg-cmp"))
        .map((m) => [m.name.replace("overcloud-host-package-update-", ""), m.commands[1].toString().split(",--limit,")[1]]);
    // Recorded with batches of 1: the first two hosts done, their milestones kept as they were.
    assert.deepStrictEqual(batches(["preflight", "overcloud-host-package-update-stg-cmp-02", "overcloud-host-package-update-stg-cmp-01", "overcloud-host-package-update-stg-ctl-01"]), [
      ["stg-cmp-01", "stg-cmp-01"],
      ["stg-cmp-02", "stg-cmp-02"],
      ["stg-cmp-03+stg-cmp-04", "stg-cmp-03,stg-cmp-04"],
    ]);
    // A recorded batch with a host no longer in the inventory is not the stack's any more.
    assert.deepStrictEqual(batches(["overcloud-host-package-update-stg-cmp-01+stg-cmp-09"])[0], ["stg-cmp-01+stg-cmp-02+stg-cmp-03", "stg-cmp-01,stg-cmp-02,stg-cmp-03"]);
  });

  it("refuses a step done by hand that is not a milestone of the stack, naming the key and listing the milestones", () => {
    const config = stagingConfig({ doneByHand: { "rabbitmq-upgrade": "by hand" } });
    const names = stackPlan(stagingConfig(), sidesOf(config)).map((m) => m.name);
    assert.strictEqual(names[0], "preflight");
    assert.throws(() => stackPlan(config, sidesOf(config)), {
      message: `stack "staging": kayobe-upgrade:doneByHand: "rabbitmq-upgrade" is not a milestone of this stack; expected among ${names.join(", ")}`,
    });
    assert.deepStrictEqual(stackPlan(stagingConfig({ doneByHand: { "rabbitmq-slurp-upgrade": "by hand" } }), sidesOf(config)).map((m) => m.name), names);
  });

  it("gates each host configuration by its check and the service upgrade by the kolla configuration diff, and refuses an approval for a step no review gates", () => {
    const config = stagingConfig();
    const plan = stackPlan(config, sidesOf(config));
    assert.deepStrictEqual(
      plan.filter((m) => m.gatedBy !== undefined || m.toReview !== undefined).map((m) => [m.name, m.gatedBy ?? m.toReview]),
      [
        ["overcloud-service-configuration-preview", { kind: "config-diff", file: `${config.workDir}/kolla-diff.diff`, old: `${config.workDir}/kolla-diff/old`, new: `${config.workDir}/kolla-diff/new` }],
        ...["seed-hypervisor", "seed", "wazuh-manager", "overcloud"].flatMap((prefix) => [
          [`${prefix}-host-configure-check`, { kind: "check-mode", file: `${config.workDir}/reviews/${prefix}-host-configure-check.diff` }],
          [`${prefix}-host-configure`, `${prefix}-host-configure-check`],
        ]),
        ["overcloud-service-upgrade", "overcloud-service-configuration-preview"],
      ],
    );
    const approving = (name: string) => stagingConfig({ approvals: { [name]: "sha256:0123456789abcdef" } });
    assert.throws(() => stackPlan(approving("overcloud-host-configure-check"), sidesOf(config)), {
      message: `stack "staging": kayobe-upgrade:approvals: "overcloud-host-configure-check" is not a milestone with a review gate of this stack; expected among seed-hypervisor-host-configure, seed-host-configure, wazuh-manager-host-configure, overcloud-host-configure, overcloud-service-upgrade`,
    });
    assert.strictEqual(stackPlan(approving("overcloud-service-upgrade"), sidesOf(config)).length, plan.length);
  });

  it("refuses a VIP host that is not a controller or network host", () => {
    assert.throws(() => planFor(undefined, { vipHost: "stg-cmp-01" }), {
      message: 'stack "staging": kayobe-upgrade:vipHost: expected one of the controllers or network hosts (stg-ctl-01, stg-ctl-02, stg-ctl-03), got "stg-cmp-01"',
    });
  });

  it("refuses an overcloud without controllers, which the runbook's playbooks and samples need", () => {
    const dir = copyOfSample();
    inventory(dir, "[compute]\nh1\nh2\n");
    assert.throws(() => planFor(dir), { message: `stack "staging": kayobe-upgrade:kayobeConfigPath: expected a controllers group with at least one host in the inventory of ${dir} (the overcloud's hosts are h1, h2)` });
  });

  it("refuses a Wazuh manager that is not an infra VM, which the runbook's commands would not find", () => {
    const dir = copyOfSample();
    fs.writeFileSync(path.join(dir, "inventory", "groups"), fs.readFileSync(path.join(dir, "inventory", "groups"), "utf8").replace("[infra-vms:children]\nwazuh-manager\n", "[infra-vms]\n"));
    assert.throws(() => planFor(dir), {
      message: `stack "staging": kayobe-upgrade:kayobeConfigPath: the Wazuh manager host(s) stg-wazuh-01 are not in the infra-vms group of the inventory of ${dir}, so the runbook's \`kayobe infra vm host package update -l wazuh-manager\` would find no host; add them to [infra-vms] as Wazuh's infra VM`,
    });
  });

  it("restricts the service upgrade with the configured kayobe and kolla tags", () => {
    const upgrade = planFor(undefined, { serviceUpgradeTags: "config", serviceUpgradeKollaTags: "keystone" }).find((m) => m.name === "overcloud-service-upgrade")!;
    assert.deepStrictEqual(upgrade.commands, [["kayobe", "overcloud", "service", "upgrade", "--tags", "config", "--kolla-tags", "keystone"]]);
  });

  it("leaves out what the kayobe-config does not use: Ironic, Octavia amphorae, Wazuh, local builds, quorum queues", () => {
    const dir = copyOfSample();
    fs.writeFileSync(path.join(dir, "kolla.yml"), "kolla_enable_ironic: false\nkolla_enable_octavia: true\n");
    fs.writeFileSync(path.join(dir, "kolla", "globals.yml"), "octavia_provider_drivers: \"ovn:OVN provider\"\n");
    fs.writeFileSync(path.join(dir, "stackhpc.yml"), "stackhpc_pulp_sync_for_local_container_build: false\n");
    fs.writeFileSync(path.join(dir, "ipa.yml"), "ipa_build_images: false\n");
    inventory(dir, "[controllers]\nc1\n[compute]\nh1\n");
    assert.deepStrictEqual(
      planFor(dir).map((m) => m.name),
      [
        "rabbitmq-slurp-upgrade",
        "kayobe-environment-reinstall",
        "control-host-upgrade",
        "pulp-repo-sync",
        "pulp-container-sync",
        "container-image-pull",
        "overcloud-service-configuration-preview",
        "overcloud-host-package-update-c1",
        "overcloud-host-package-update-h1",
        "overcloud-host-upgrade",
        "overcloud-host-configure-check",
        "overcloud-host-configure",
        "overcloud-database-backup-before-overcloud-service-upgrade",
        "overcloud-service-upgrade",
        "container-image-prune",
      ],
    );
  });

  it("refuses a target release whose runbook is not written yet, rather than upgrade with another release's steps", () => {
    const dir = copyOfSample();
    atEpoxy(dir);
    assert.throws(() => planFor(dir, { targetRelease: "2025.1" }), {
      name: "ConfigError",
      message: 'stack "staging": kayobe-upgrade:targetRelease: no runbook is written yet for the upgrade to 2025.1 (epoxy) from 2024.1, and another upgrade\'s steps are not its steps; the upgrades written: 2023.1 to 2024.1',
    });
  });

  it("rates each step as the runbook does: outages for the quorum migration, controller reboots and the service upgrade", () => {
    const plan = planFor();
    const rated = (risk: string) => plan.filter((m) => m.risk === risk).map((m) => m.name);
    assert.deepStrictEqual(rated("outage"), [
      "rabbitmq-quorum-migration",
      "overcloud-host-package-update-stg-ctl-01",
      "overcloud-host-package-update-stg-ctl-02",
      "overcloud-host-package-update-stg-ctl-03",
      "overcloud-service-upgrade",
    ]);
    assert.ok(rated("at risk").includes("rabbitmq-slurp-upgrade"));
    assert.ok(rated("at risk").includes("overcloud-host-package-update-stg-cmp-01"));
    assert.ok(plan.filter((m) => m.phase === "Preparation").every((m) => m.risk === "safe"));
  });

  it("waits as long as the stack says between the RabbitMQ upgrades, and only after the 3.12 upgrade ran", () => {
    const upgrade = planFor(undefined, { rabbitmqUpgradeWait: 600 })[0].commands[1];
    assert.deepStrictEqual(upgrade, {
      kind: "if-still-to-do",
      look: ["kayobe", "overcloud", "host", "command", "run", "-l", "controllers", "-b", "--command", "docker exec rabbitmq rabbitmqctl --version | grep -F 3.11.", "--show-output"],
      toDoWhen: "found",
      done: "RabbitMQ past 3.11 on the controllers",
      then: [["kayobe", "kolla", "ansible", "run", "rabbitmq-upgrade 3.12"], { kind: "wait", seconds: 600 }],
    });
  });

  it("re-runs image sync and pull, and nothing else, when an image tag changes", () => {
    assert.deepStrictEqual(changedBy("kolla-image-tags.yml", "rocky-9: 2024.1-rocky-9-20240823T101116", "rocky-9: 2024.1-rocky-9-20241001T000000"), [
      "pulp-container-sync",
      "overcloud-container-image-build",
      "container-image-pull",
      "seed-container-image-build",
      "seed-service-upgrade",
      "ironic-wait-state-check",
      "overcloud-service-upgrade",
    ]);
  });

  it("re-runs the repository sync and the host package updates, and nothing else, when a repository version changes", () => {
    assert.deepStrictEqual(changedBy("pulp-repo-versions.yml", "epel_9_version: 20240823T003401", "epel_9_version: 20241001T000000"), [
      "pulp-repo-sync",
      "seed-hypervisor-host-package-update",
      "seed-host-package-update",
      "wazuh-manager-host-package-update",
      ...["ctl-01", "ctl-02", "ctl-03", "stg-01", "stg-02", "stg-03", "cmp-01", "cmp-02", "cmp-03", "cmp-04"].map((h) => `overcloud-host-package-update-stg-${h}`),
    ]);
  });

  it("changes no fingerprint for configuration no step depends on", () => {
    assert.deepStrictEqual(changedBy("ipa.yml", "ipa_build_images: true", "ipa_build_images: true\nunrelated: 1"), []);
  });

  it("backs up the database before the overcloud service upgrade, and at each point the stack names, in the runbook's order", () => {
    const base = stagingConfig().safety;
    const plan = planFor(undefined, { safety: { ...base, databaseBackups: ["after-overcloud-service-upgrade", "before-prerequisites", "after-prerequisites", "after-preparation", "before-overcloud-upgrade"] } });
    const names = plan.map((m) => m.name);
    const backups = plan.filter((m) => m.name.startsWith("overcloud-database-backup-"));
    assert.ok(backups.every((m) => JSON.stringify(m.commands) === JSON.stringify([["kayobe", "overcloud", "database", "backup"]])));
    const around = (name: string) => [names[names.indexOf(name) - 1], names[names.indexOf(name) + 1]];
    assert.deepStrictEqual(
      backups.map((m) => [m.name, ...around(m.name)]),
      [
        ["overcloud-database-backup-before-prerequisites", undefined, "rabbitmq-slurp-upgrade"],
        ["overcloud-database-backup-after-prerequisites", "rabbitmq-quorum-migration", "kayobe-environment-reinstall"],
        ["overcloud-database-backup-after-preparation", "overcloud-service-configuration-preview", "seed-hypervisor-host-package-update"],
        ["overcloud-database-backup-before-overcloud-upgrade", "wazuh-agent-services", "overcloud-host-package-update-stg-ctl-01"],
        ["overcloud-database-backup-before-overcloud-service-upgrade", "ironic-wait-state-check", "overcloud-service-upgrade"],
        ["overcloud-database-backup-after-overcloud-service-upgrade", "overcloud-service-upgrade", "octavia-amphora-image"],
      ],
    );
  });

  it("runs the prerequisite checks the stack configures first, blocking all that follows, and leaves out those switched off", () => {
    const base = stagingConfig().safety;
    const prerequisiteChecks = { "test-suites": ["tools/smoke-tests.sh", "--quick"], "hypervisor-capacity": ["tools/capacity.sh"], "prometheus-alerts": false as const };
    const plan = planFor(undefined, { safety: { ...base, prerequisiteChecks, databaseBackups: ["before-prerequisites"] } });
    assert.deepStrictEqual(
      plan.slice(0, 4).map((m) => [m.name, m.commands, m.risk, m.dependsOn]),
      [
        ["prerequisite-check-hypervisor-capacity", [["tools/capacity.sh"]], "safe", []],
        ["prerequisite-check-test-suites", [["tools/smoke-tests.sh", "--quick"]], "safe", ["prerequisite-check-hypervisor-capacity"]],
        ["overcloud-database-backup-before-prerequisites", [["kayobe", "overcloud", "database", "backup"]], "safe", ["prerequisite-check-test-suites"]],
        ["rabbitmq-slurp-upgrade", plan[3].commands, "at risk", ["overcloud-database-backup-before-prerequisites"]],
      ],
    );
    assert.ok(!plan.some((m) => m.name === "prerequisite-check-prometheus-alerts"));
  });

  it("says which prerequisites the runbook asks for are neither checked nor switched off: Prometheus and OpenSearch only where deployed", () => {
    const unchecked = (kollaYml: string, checks: StackConfig["safety"]["prerequisiteChecks"]) => {
      const dir = copyOfSample();
      fs.appendFileSync(path.join(dir, "kolla.yml"), kollaYml);
      const config = stagingConfig({ kayobeConfigPath: dir, safety: { ...stagingConfig().safety, prerequisiteChecks: checks } });
      return uncheckedPrerequisites({ config, kayobe: evaluate(config), recorded: [] });
    };
    assert.deepStrictEqual(unchecked("", {}), ["hypervisor-capacity", "test-suites"]);
    assert.deepStrictEqual(unchecked("kolla_enable_prometheus: true\nkolla_enable_opensearch: true\n", { "test-suites": false, "opensearch-errors": ["check-logs"] }), ["hypervisor-capacity", "prometheus-alerts"]);
  });

  it("reinstalls kayobe's requirements again when requirements.txt changes, and nothing else", () => {
    const dir = copyOfSample();
    const before = fingerprints(dir);
    fs.appendFileSync(path.resolve(dir, "..", "..", "requirements.txt"), "ansible-core<2.16\n");
    const after = fingerprints(dir);
    assert.deepStrictEqual(Object.keys(before).filter((name) => before[name] !== after[name]), ["kayobe-environment-reinstall"]);
  });

  it("leaves the reinstall out when the kayobe virtualenv is unknown or the checkout has no requirements.txt", () => {
    const names = (dir: string | undefined, kayobePip: string | undefined) => planFor(dir, { safety: { ...stagingConfig().safety, kayobePip } }).map((m) => m.name);
    assert.ok(!names(undefined, undefined).includes("kayobe-environment-reinstall"));
    const dir = copyOfSample();
    fs.rmSync(path.resolve(dir, "..", "..", "requirements.txt"));
    assert.ok(!names(dir, "/opt/venvs/kayobe/bin/pip").includes("kayobe-environment-reinstall"));
    assert.ok(names(undefined, "/opt/venvs/kayobe/bin/pip").includes("kayobe-environment-reinstall"));
  });
});
