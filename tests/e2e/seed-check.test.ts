import * as assert from "assert";
import * as fs from "fs";
import { LoopbackSshd } from "./sshd";
import { Workspace } from "./workspace";

interface StateResource {
  urn: string;
  outputs: { commandsRun?: { command: string; exitCode: number }[] };
}

describe("the seed's Bifrost checks over SSH, against a real sshd on loopback", function () {
  const ws = new Workspace();
  const seed = new LoopbackSshd();
  // The shipped staging stack, with the checks pointed at the loopback seed.
  const stack = "seedcheck";
  let check: string;

  before(async () => {
    await seed.start();
    fs.copyFileSync(ws.file("Pulumi.staging.yaml"), ws.file(`Pulumi.${stack}.yaml`));
    ws.stack(stack);
    ws.setConfig(stack, "seedSshHost", "127.0.0.1");
    ws.setConfig(stack, "seedSshPort", String(seed.port));
    ws.setConfig(stack, "seedSshUser", seed.user);
    // As an operator would: `pulumi config set --secret kayobe-upgrade:seedSshPrivateKey < key`.
    ws.pulumi(["config", "set", "--stack", stack, "--secret", "kayobe-upgrade:seedSshPrivateKey"], { input: seed.privateKey });
    check = `ssh -p ${seed.port} ${seed.user}@127.0.0.1 'sudo docker exec bifrost_deploy bash -c "systemctl is-active ironic ironic-inspector && export OS_CLOUD=bifrost && baremetal node list && baremetal introspection list"'`;
  });
  after(() => seed.stop());

  it("stops the upgrade after the seed's package update when Inspector is down, and streams progress", () => {
    seed.setDown("ironic-inspector", true);
    const { stdout, stderr } = ws.pulumi(["up", "--yes", "--stack", stack], { expectFailure: true });
    assert.ok(stdout.includes(`${check}: exited with code 3.`), stdout);
    // The error's tail, as the engine indents it under Diagnostics.
    assert.match(stdout, /--- last lines of output ---\n(?:.*\n)*? *active\n *inactive$/m);
    const calls = ws.calls("staging");
    assert.match(calls[calls.length - 1], /^seed host command run --command/, "the seed's reboot check was the last kayobe call");
    assert.ok(!calls.includes("seed host upgrade"), "nothing after the check ran");
    assert.deepStrictEqual(seed.dockerCalls(), [`exec bifrost_deploy bash -c systemctl is-active ironic ironic-inspector && export OS_CLOUD=bifrost && baremetal node list && baremetal introspection list`]);
    // Progress reached the terminal while the steps ran (bin/pulumi's follower, on stderr), prefixed by the step's position.
    const position = (name: string) => new RegExp(`^(\\[\\d+/\\d+\\]) ${name}: `, "m").exec(stderr)?.[1] ?? assert.fail(`${name} started: ${stderr}`);
    assert.ok(stderr.includes(`${position("seed-host-package-update")} $ kayobe seed host package update --packages "*"\n`), stderr);
    assert.ok(stderr.includes(`${position("seed-bifrost-check-after-host-package-update")}   inactive\n`), stderr);
  });

  it("shows the failed check pending in the plan, and what ran before it done", () => {
    const { document, svg } = ws.plan(stack);
    assert.ok(document.includes(`### seed-bifrost-check-after-host-package-update: Verify that Bifrost, Ironic and Inspector are running as expected (after the host package update)\n\n- [ ] pending\n- outside the maintenance window, safe\n- after: \`seed-host-package-update\`\n\n\`\`\`sh\n${check}\n\`\`\``));
    assert.match(document, /### seed-host-package-update: .*\n\n- \[x\] done /);
    assert.match(svg, /<g class="milestone done" data-name="seed-host-package-update">/);
    assert.match(svg, /<g class="milestone pending" data-name="seed-bifrost-check-after-host-package-update">/);
  });

  it("resumes once Inspector is back, checking again after the seed service upgrade, and keeps the key out of the state", () => {
    seed.setDown("ironic-inspector", false);
    ws.pulumi(["up", "--yes", "--stack", stack]);
    assert.strictEqual(seed.dockerCalls().length, 3, "the failed check, the same check again, the check after the service upgrade");
    const resources = JSON.parse(ws.exportState(stack)).deployment.resources as StateResource[];
    for (const name of ["seed-bifrost-check-after-host-package-update", "seed-bifrost-check"]) {
      const run = resources.find((r) => r.urn.endsWith(`::${name}`))!.outputs.commandsRun!;
      assert.deepStrictEqual(run.map((c) => [c.command, c.exitCode]), [[check, 0]]);
    }
    const keyBody = seed.privateKey.split("\n")[1];
    assert.ok(!ws.exportState(stack).includes(keyBody), "the private key is encrypted in the state");
    assert.ok(!ws.logs(stack).includes(keyBody) && !ws.logs("staging").includes(keyBody));
  });
});
