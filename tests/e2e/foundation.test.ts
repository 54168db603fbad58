import * as assert from "assert";
import * as fs from "fs";
import { expectedCalls, planOf } from "./expected-calls";
import { Workspace } from "./workspace";

interface StateResource {
  urn: string;
  type: string;
  outputs: Record<string, unknown>;
}

describe("the real engine on the shipped staging stack (file backend, simulator)", function () {
  const ws = new Workspace();
  const stack = "staging";
  const plan = planOf(ws.root);
  const milestones = (state: string): StateResource[] => JSON.parse(state).deployment.resources.filter((r: StateResource) => r.type.endsWith(":Milestone"));

  before(() => ws.stack(stack));

  it("previews every pending milestone, grouped by phase, and calls no kayobe command", () => {
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    for (const phase of new Set(plan.map((m) => m.phase))) assert.match(stdout, new RegExp(`kayobe-upgrade:runbook:Phase\\s+${phase}\\s+create`));
    for (const m of plan) assert.match(stdout, new RegExp(`Milestone\\s+${m.name.replace(/\+/g, "\\+")}\\s+create`));
    assert.match(stdout, new RegExp(`\\+ ${plan.length + new Set(plan.map((m) => m.phase)).size + 1} to create`));
    assert.deepStrictEqual(ws.journal(stack), []);
    // Each side read once, by the real kayobe of its release, and kept until a file of it changes.
    const caches = ["kayobe-config-2024.1.json", "source-kayobe-config-2023.1.json"].map((name) => ws.file(`.kayobe-upgrade/${stack}/${name}`));
    const written = caches.map((cache) => fs.statSync(cache).mtimeMs);
    assert.match(stdout, new RegExp(`source release 2023\\.1 \\(site/2023\\.1\\): ${ws.file(`.kayobe-upgrade/${stack}/source-kayobe-config/etc/kayobe`)}, evaluated by ${ws.file(".kayobe-upgrade/kayobe-14.5.0/bin/kayobe")} \\(release 2023\\.1, named antelope\\)`));
    assert.match(stdout, new RegExp(`target release 2024\\.1: ${ws.kayobeConfig("etc/kayobe")}, evaluated by ${ws.file(".kayobe-upgrade/kayobe-16.8.0/bin/kayobe")} \\(release 2024\\.1, named caracal\\)`));
    assert.match(stdout, /target release 2024\.1 steps run in \S+sample-kayobe-config with what its kayobe-env exports: KAYOBE_CONFIG_PATH, KAYOBE_ENVIRONMENT, KOLLA_CONFIG_PATH, KOLLA_SOURCE_PATH, KOLLA_VENV_PATH/);
    ws.pulumi(["preview", "--stack", stack]);
    assert.deepStrictEqual(caches.map((cache) => fs.statSync(cache).mtimeMs), written, "a second preview of the same configs asks kayobe nothing");
  });

  it("writes the upgrade plan and its picture with every milestone pending before the upgrade", () => {
    const { document, svg } = ws.plan(stack);
    assert.match(document, new RegExp(`^0 of ${plan.length} milestones done;`, "m"));
    assert.strictEqual((document.match(/^- \[ \] pending$/gm) ?? []).length, plan.length);
    assert.strictEqual((svg.match(/<g class="milestone pending"/g) ?? []).length, plan.length);
    assert.deepStrictEqual(ws.journal(stack), [], "writing the plan runs no kayobe command");
  });

  it("writes the production stack's plan too, with its promotion step and its own environment", () => {
    // The helper scripts never create a stack; its secrets are read from the backend.
    ws.stack("production");
    const { document, svg } = ws.plan("production");
    assert.ok(document.startsWith("# Upgrade plan: production, to 2024.1 Caracal\n"));
    assert.ok(document.includes("source kayobe-env --environment production\n"));
    assert.match(document, /^### pulp-repo-promote-production: Promote host package content to production\n\n- \[ \] pending$/m);
    assert.match(svg, /<g class="milestone pending" data-name="overcloud-host-package-update-prd-cmp-01\+prd-cmp-02">/);
  });

  it("runs every kayobe command of the plan once, in the runbook's order, on up", () => {
    ws.pulumi(["up", "--yes", "--stack", stack]);
    assert.deepStrictEqual(ws.calls(stack), expectedCalls(plan));
    // The Prerequisites ran from the worktree of site/2023.1, with its kayobe-env; everything from the reinstall on from the checkout.
    const starts = ws.journal(stack).filter((entry) => entry.event === "start");
    const reinstall = starts.findIndex((entry) => entry.program === "pip");
    const worktree = ws.file(`.kayobe-upgrade/${stack}/source-kayobe-config`);
    const where = (entry: (typeof starts)[number]) => [entry.cwd, entry.env.KAYOBE_CONFIG_PATH, entry.env.KOLLA_CONFIG_PATH, entry.env.KAYOBE_ENVIRONMENT, entry.env.KAYOBE_VAULT_PASSWORD];
    assert.ok(reinstall > 10, "the Prerequisites' calls come first");
    for (const entry of starts.slice(0, reinstall)) assert.deepStrictEqual(where(entry), [worktree, `${worktree}/etc/kayobe`, `${worktree}/etc/kolla`, "staging", "<set>"], entry.argv.join(" "));
    for (const entry of starts.slice(reinstall)) assert.deepStrictEqual(where(entry), [ws.kayobeConfig(), ws.kayobeConfig("etc/kayobe"), ws.kayobeConfig("etc/kolla"), "staging", "<set>"], entry.argv.join(" "));
    assert.strictEqual(ws.kayobeConfigGit("-C", worktree, "rev-parse", "HEAD"), ws.kayobeConfigGit("rev-parse", "site/2023.1"));
  });

  it("records what ran in the state, including the reboot decision and the configuration diff", () => {
    const state = milestones(ws.exportState(stack));
    assert.deepStrictEqual(state.map((r) => r.urn.split("::").pop()), plan.map((m) => m.name));
    const byName = (name: string) => state.find((r) => r.urn.endsWith(`::${name}`))!.outputs;
    const pull = byName("container-image-pull");
    assert.strictEqual(pull.releaseReached, "2024.1");
    assert.deepStrictEqual(
      (pull.commandsRun as { command: string; exitCode: number }[]).map((c) => [c.command, c.exitCode]),
      [
        ['kayobe overcloud host command run --command "df -h" --show-output --limit controllers[0],compute[0],storage[0]', 0],
        ["kayobe overcloud container image pull", 0],
      ],
    );
    assert.ok(fs.existsSync(pull.log as string), "the log file named in the outputs exists");
    const seed = byName("seed-host-package-update").commandsRun as { decision?: string }[];
    assert.strictEqual(seed[1].decision, "no reboot required");
    const preview = byName("overcloud-service-configuration-preview").commandsRun as { file?: string }[];
    const diff = fs.readFileSync(preview[preview.length - 1].file!, "utf8");
    assert.match(diff, /^diff -ru /m);
  });

  it("keeps each milestone's state small, as the file backend rewrites it twice per step", () => {
    const resources = milestones(ws.exportState(stack)) as (StateResource & { inputs: { __provider: string }; stackTrace?: unknown; sourcePosition?: unknown })[];
    for (const r of resources) {
      assert.deepStrictEqual([r.stackTrace, r.sourcePosition], [undefined, undefined], `${r.urn}: the SDK's stack trace`);
      assert.ok(r.inputs.__provider.length < 100 && r.outputs.__provider === r.inputs.__provider, `${r.urn}: the provider module`);
    }
  });

  it("records the kayobe-config it ran from and each notable change's outcome in the stack outputs", () => {
    const outputs = JSON.parse(ws.pulumi(["stack", "output", "--json", "--stack", stack]).stdout);
    assert.deepStrictEqual(outputs.kayobeConfig, { path: ws.kayobeConfig().replace(/\/$/, ""), commit: ws.kayobeConfigGit("rev-parse", "HEAD"), branch: "site/2024.1", clean: true });
    assert.strictEqual(outputs.notableChanges["rabbitmq-quorum-queues"], "satisfied");
  });

  it("writes the upgrade plan with every milestone done after the upgrade, naming each log", () => {
    const { document, svg } = ws.plan(stack);
    assert.match(document, new RegExp(`^${plan.length} of ${plan.length} milestones done;`, "m"));
    const logs = [...document.matchAll(/^- \[x\] done \S+ \(log: `([^`]+)`\)$/gm)].map((m) => m[1]);
    assert.strictEqual(logs.length, plan.length);
    assert.ok(logs.every((log) => fs.existsSync(log)), "each log named exists");
    assert.strictEqual((svg.match(/<g class="milestone done"/g) ?? []).length, plan.length);
  });

  it("shows no changes and runs nothing the second time", () => {
    const before = ws.calls(stack).length;
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    assert.match(stdout, new RegExp(`${plan.length + new Set(plan.map((m) => m.phase)).size + 1} unchanged`));
    ws.pulumi(["up", "--yes", "--stack", stack]);
    assert.strictEqual(ws.calls(stack).length, before);
  });

  it("keeps the vault password out of the state, the journal and the logs", () => {
    const password = "sample-vault-password-staging";
    assert.ok(!ws.exportState(stack).includes(password), "state");
    assert.ok(!fs.readFileSync(ws.file(".kayobe-upgrade/staging/kayobe-journal.jsonl"), "utf8").includes(password), "journal");
    assert.ok(!ws.logs(stack).includes(password), "logs");
    // ...and the stack does hold it, so the checks above can fail.
    assert.match(ws.pulumi(["config", "get", "kayobe-upgrade:vaultPassword", "--stack", stack]).stdout, new RegExp(password));
  });

  it("shows exactly the milestones an image tag drives as updates when the tag changes", () => {
    const tags = ws.kayobeConfig("etc/kayobe/kolla-image-tags.yml");
    const original = fs.readFileSync(tags, "utf8");
    fs.writeFileSync(tags, original.replace("openstack:\n    rocky-9: 2024.1-rocky-9-20240823T101116", "openstack:\n    rocky-9: 2024.1-rocky-9-20241001T000000"));
    ws.commit("a new image tag");
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    const updated = [...stdout.matchAll(/^ ~\s+\S+:Milestone (\S+) update \[diff: ~fingerprint\]$/gm)].map((m) => m[1]);
    assert.deepStrictEqual(updated.sort(), ["container-image-pull", "ironic-wait-state-check", "overcloud-container-image-build", "overcloud-service-upgrade", "pulp-container-sync", "seed-container-image-build", "seed-service-upgrade"]);
    fs.writeFileSync(tags, original);
    ws.commit("the image tag back");
  });

  it("refuses a new target release whose runbook is not written yet, and keeps what was recorded", () => {
    const openstack = ws.kayobeConfig("etc/kayobe/openstack.yml");
    // A config names a release kayobe 16 does not know by its series too.
    fs.writeFileSync(openstack, 'openstack_release: "2025.1"\nopenstack_release_codename: epoxy\n');
    ws.commit("the 2025.1 branch");
    ws.setConfig(stack, "targetRelease", "2025.1");
    const { stdout } = ws.pulumi(["preview", "--stack", stack], { expectFailure: true });
    assert.match(stdout, /stack "staging": kayobe-upgrade:targetRelease: no runbook is written yet for the upgrade to 2025\.1 \(epoxy\) from 2024\.1/);
    assert.strictEqual(milestones(ws.exportState(stack)).length, plan.length);
  });
});
