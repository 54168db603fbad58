import * as assert from "assert";
import * as fs from "fs";
import { planOf } from "./expected-calls";
import { approvalCommand, Workspace } from "./workspace";

interface Outputs {
  review?: { file: string; digest: string; changedHosts: number; changedTasks?: number; changedFiles?: number };
  approval?: { reviewed: string; digest?: string; by: string };
}

/**
 * One stack with the review gates on, as a new stack has them, upgraded through five runs:
 * the seed hypervisor's check finds changes, is approved, found changed and approved
 * again; the other checks find none; the kolla configuration diff stops the service
 * upgrade until it is empty; with the gates off, a check's new changes are applied.
 */
describe("review gates: nothing applied that the operator has not seen, through the real engine", function () {
  const ws = new Workspace();
  const stack = "staging";
  const plan = planOf(ws.root);
  const gated = plan.filter((m) => m.gatedBy !== undefined);
  const hypervisor = "seed-hypervisor-host-configure";
  const check = `${hypervisor}-check`;
  const simulator = (name: string, value: string) => ws.pulumi(["config", "set", "--path", `kayobe-upgrade:kayobeEnv.${name}`, value, "--type", "string", "--stack", stack]);
  // A milestone's record; not a replaced one still to be deleted.
  const outputs = (name: string): Outputs => JSON.parse(ws.exportState(stack)).deployment.resources.find((r: { urn: string; delete?: boolean }) => r.urn.endsWith(`::${name}`) && !r.delete)?.outputs ?? {};
  const urn = (name: string) => JSON.parse(ws.exportState(stack)).deployment.resources.find((r: { urn: string }) => r.urn.endsWith(`::${name}`)).urn as string;
  const approveCommand = (milestone: string) => approvalCommand(milestone, stack);
  const calls = (pattern: RegExp) => ws.calls(stack).filter((call) => pattern.test(call)).length;
  /** The last refused run's output, whose approval command the operator runs next. */
  let refused = "";
  const approve = (stdout: string, milestone: string): string => ws.approveAsPrinted(stdout, milestone, stack);

  before(() => {
    ws.stack(stack);
    simulator("KAYOBE_SIM_CHECK_CHANGES", "stg-seed-hypervisor-01");
  });

  it("lists the gates ahead at preview, or says they are off, and runs nothing", () => {
    // The shipped stacks switch the gates off, and preview says so.
    const off = ws.pulumi(["preview", "--stack", stack]).stdout;
    assert.ok(off.includes(`review gates are off (kayobe-upgrade:reviewGates false): ${gated.map((m) => m.name).join(", ")} apply what their checks show without an approval`), off);
    // A new stack has them on.
    ws.pulumi(["config", "rm", "kayobe-upgrade:reviewGates", "--stack", stack]);
    const { stdout } = ws.pulumi(["preview", "--stack", stack]);
    assert.deepStrictEqual(
      gated.map((m) => [m.name, m.gatedBy]),
      [
        [hypervisor, check],
        ["seed-host-configure", "seed-host-configure-check"],
        ["wazuh-manager-host-configure", "wazuh-manager-host-configure-check"],
        ["overcloud-host-configure", "overcloud-host-configure-check"],
        ["overcloud-service-upgrade", "overcloud-service-configuration-preview"],
      ],
    );
    for (const m of gated) assert.ok(stdout.includes(`review gate ahead: ${m.name} waits for the approval of what ${m.gatedBy} shows, if it shows changes`), `${m.name}:\n${stdout}`);
    assert.deepStrictEqual(ws.journal(stack), []);
  });

  it("stops at a check's changes with the review's file and the exact command that approves them, having run nothing of the configuration", () => {
    const { stdout, stderr } = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    refused = stdout;
    const review = outputs(check).review!;
    // The end of the run says it too, the command on one line to be copied.
    const end = stderr.slice(stderr.lastIndexOf("kayobe-upgrade: "));
    assert.match(end, new RegExp(`^kayobe-upgrade: \\d+ steps done, 1 not started in this run\n[^]*  NOT STARTED \\[\\d+/\\d+\\] ${hypervisor}\n`));
    assert.ok(end.includes(`\n    bin/pulumi config set --path 'kayobe-upgrade:approvals["${hypervisor}"]' ${review.digest} --stack ${stack}\n`), end);
    assert.deepStrictEqual({ ...review, digest: undefined }, { file: ws.file(`.kayobe-upgrade/${stack}/reviews/${check}.diff`), digest: undefined, changedHosts: 1, changedTasks: 2 });
    assert.match(fs.readFileSync(review.file, "utf8"), /^# check mode would change 2 tasks on 1 host: stg-seed-hypervisor-01\n[^]*^-server ntp0\.example\.org iburst\n\+server ntp1\.example\.org iburst\n # managed by kayobe\nchanged: \[stg-seed-hypervisor-01\]$/m);
    assert.ok(stdout.includes(`${hypervisor}: ${check} shows changes to 2 tasks on 1 host (${review.digest}). Review them in ${review.file}, then approve them with`), stdout);
    assert.strictEqual(approveCommand(hypervisor).exec(stdout)?.[1], review.digest);
    assert.strictEqual(calls(/^seed hypervisor host configure --check --diff$/), 1);
    assert.strictEqual(calls(/^seed hypervisor host configure$/), 0);
    assert.strictEqual(outputs(hypervisor).approval, undefined, "the gated step is not recorded");
  });

  it("refuses again when the check, run again, shows other changes than those approved", () => {
    const approved = approve(refused, hypervisor);
    simulator("KAYOBE_SIM_CHECK_TASKS", "3");
    const { stdout } = ws.pulumi(["up", "--yes", "--stack", stack, "--replace", urn(check)], { expectFailure: true });
    refused = stdout;
    const review = outputs(check).review!;
    assert.deepStrictEqual([review.changedTasks, review.digest === approved], [3, false]);
    assert.ok(stdout.includes(`${hypervisor}: ${check} shows changes to 3 tasks on 1 host (${review.digest}); the approval in kayobe-upgrade:approvals is of ${approved}, changes that are not these (the review changed since).`), stdout);
    assert.strictEqual(calls(/^seed hypervisor host configure$/), 0);
  });

  it("goes on once the changes are approved, without running the check again; checks with no changes need no approval", () => {
    const digest = approve(refused, hypervisor);
    const { stdout } = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    assert.strictEqual(calls(/^seed hypervisor host configure --check --diff$/), 2, "the check ran twice, both before this run");
    assert.strictEqual(calls(/^seed hypervisor host configure$/), 1);
    assert.deepStrictEqual(outputs(hypervisor).approval, { reviewed: check, digest, by: "approval" });
    for (const m of gated.slice(1, -1)) {
      assert.deepStrictEqual([outputs(m.gatedBy!).review?.changedTasks, outputs(m.name).approval?.by], [0, "no changes"], m.name);
    }
    // The kolla configuration diff: the running services' configuration is 2023.1's.
    const service = "overcloud-service-upgrade";
    const diff = outputs("overcloud-service-configuration-preview").review!;
    assert.deepStrictEqual({ ...diff, digest: undefined }, { file: ws.file(`.kayobe-upgrade/${stack}/kolla-diff.diff`), digest: undefined, changedHosts: 3, changedFiles: 5 });
    assert.ok(stdout.includes(`${service}: overcloud-service-configuration-preview shows changes to 5 files on 3 hosts (${diff.digest}). Review them in ${diff.file}, then approve them with`), stdout);
    assert.strictEqual(approveCommand(service).exec(stdout)?.[1], diff.digest);
    assert.strictEqual(calls(/^overcloud service upgrade$/), 0);
    // Preview says where the upgrade waits.
    assert.ok(ws.pulumi(["preview", "--stack", stack]).stdout.includes(`review gate ahead: ${service}: overcloud-service-configuration-preview shows changes`));
  });

  it("lets the service upgrade through when the kolla configuration diff is empty", () => {
    // The running services' configuration is already the new one: nothing differs.
    simulator("KAYOBE_SIM_RUNNING_RELEASE", "2024.1");
    ws.pulumi(["up", "--yes", "--stack", stack, "--replace", urn("overcloud-service-configuration-preview")]);
    const diff = outputs("overcloud-service-configuration-preview").review!;
    assert.deepStrictEqual([diff.changedHosts, diff.changedFiles, fs.readFileSync(diff.file, "utf8")], [0, 0, ""]);
    assert.strictEqual(calls(/^overcloud service upgrade$/), 1);
    assert.deepStrictEqual(outputs("overcloud-service-upgrade").approval, { reviewed: "overcloud-service-configuration-preview", digest: diff.digest, by: "no changes" });
  });

  it("applies changes not approved once the gates are switched off, recording so", () => {
    ws.pulumi(["config", "set", "kayobe-upgrade:reviewGates", "false", "--stack", stack]);
    simulator("KAYOBE_SIM_CHECK_TASKS", "1");
    ws.pulumi(["up", "--yes", "--stack", stack, "--replace", urn(check), "--replace", urn(hypervisor)]);
    const review = outputs(check).review!;
    assert.strictEqual(review.changedTasks, 1);
    assert.strictEqual(calls(/^seed hypervisor host configure$/), 2);
    assert.deepStrictEqual(outputs(hypervisor).approval, { reviewed: check, digest: review.digest, by: "gates off" });
    // Once the steps are done, no gate is ahead to mention.
    assert.doesNotMatch(ws.pulumi(["preview", "--stack", stack]).stdout, /review gate/);
  });
});
