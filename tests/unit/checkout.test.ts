import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readCheckout, refuseDirtyCheckout, refuseUntrustedCheckout } from "../../resources/checks/checkout";
import { copyOfSample, SAMPLE, stagingConfig } from "./fixtures";

function git(dir: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@localhost", ...args], { cwd: dir, encoding: "utf8" });
  assert.strictEqual(result.status, 0, result.stderr);
  return result.stdout.trim();
}

/** A copy of the sample, committed in a repository of its own on `branch`; returns its etc/kayobe. */
function committedSample(branch = "example/2024.1"): { configPath: string; checkout: string } {
  const configPath = copyOfSample();
  const checkout = path.resolve(configPath, "..", "..");
  git(checkout, "init", "-q", "-b", branch);
  git(checkout, "add", "-A");
  git(checkout, "commit", "-q", "-m", "sample");
  return { configPath, checkout };
}

const refusal = (configPath: string, allowDirtyKayobeConfig = false) => () => {
  const base = stagingConfig();
  refuseDirtyCheckout(stagingConfig({ kayobeConfigPath: configPath, safety: { ...base.safety, allowDirtyKayobeConfig } }), readCheckout(configPath));
};

describe("the kayobe-config checkout", () => {
  it("records the commit, the branch and a clean tree, and lets the upgrade go on", () => {
    const { configPath, checkout } = committedSample();
    assert.deepStrictEqual(readCheckout(configPath), { path: checkout, commit: git(checkout, "rev-parse", "HEAD"), branch: "example/2024.1", clean: true, changes: [] });
    refusal(configPath)();
  });

  it("refuses a checkout with uncommitted changes, naming them, unless the stack allows it", () => {
    const { configPath, checkout } = committedSample();
    fs.appendFileSync(path.join(configPath, "kolla.yml"), "kolla_enable_heat: true\n");
    fs.writeFileSync(path.join(configPath, "new.yml"), "---\n");
    assert.strictEqual(readCheckout(configPath).clean, false);
    assert.throws(refusal(configPath), {
      name: "ConfigError",
      message: `stack "staging": kayobe-upgrade:allowDirtyKayobeConfig: the kayobe-config checkout at ${checkout} has uncommitted changes (M etc/kayobe/kolla.yml; ?? etc/kayobe/new.yml); commit them, or set kayobe-upgrade:allowDirtyKayobeConfig true to upgrade from it anyway`,
    });
    refusal(configPath, true)();
  });

  it("counts a git-ignored file that kayobe reads, but not the roles kayobe installs or its own output", () => {
    const { configPath, checkout } = committedSample();
    fs.writeFileSync(path.join(checkout, ".gitignore"), "etc/kolla/\netc/kayobe/local-*.yml\netc/kayobe/ansible/roles/*.*/\netc/kayobe/inventory/group_vars/seed/ansible-host\n");
    git(checkout, "add", ".gitignore");
    git(checkout, "commit", "-q", "-m", "ignore");
    fs.mkdirSync(path.join(configPath, "ansible", "roles", "stackhpc.linux"), { recursive: true });
    fs.writeFileSync(path.join(configPath, "ansible", "roles", "stackhpc.linux", "main.yml"), "---\n");
    fs.mkdirSync(path.join(configPath, "inventory", "group_vars", "seed"), { recursive: true });
    fs.writeFileSync(path.join(configPath, "inventory", "group_vars", "seed", "ansible-host"), "ansible_host: 10.0.0.1\n");
    fs.mkdirSync(path.join(checkout, "etc", "kolla"), { recursive: true });
    fs.writeFileSync(path.join(checkout, "etc", "kolla", "globals.yml"), "---\n");
    assert.deepStrictEqual(readCheckout(configPath).changes, []);
    fs.writeFileSync(path.join(configPath, "local-overrides.yml"), "kolla_enable_ironic: false\n");
    assert.deepStrictEqual(readCheckout(configPath).changes, ["!! etc/kayobe/local-overrides.yml"]);
    assert.strictEqual(readCheckout(configPath).clean, false);
  });

  it("counts only changes under the checkout, as for the sample inside this project's repository", () => {
    // The checkout is a folder of a larger repository with changes elsewhere.
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "project-"));
    fs.cpSync(path.resolve(SAMPLE, "..", ".."), path.join(repo, "kayobe-config"), { recursive: true });
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "project");
    fs.writeFileSync(path.join(repo, "elsewhere.txt"), "not the kayobe-config\n");
    const moved = path.join(repo, "kayobe-config", "etc", "kayobe");
    assert.deepStrictEqual({ ...readCheckout(moved), commit: null }, { path: path.join(repo, "kayobe-config"), commit: null, branch: "main", clean: true, changes: [] });
  });

  it("refuses a kayobe-config that is not in git, since the run could not be traced to a commit", () => {
    const configPath = copyOfSample();
    const checkout = path.resolve(configPath, "..", "..");
    assert.deepStrictEqual(readCheckout(configPath), { path: checkout, commit: null, branch: null, clean: false, changes: [] });
    assert.throws(refusal(configPath), {
      message: `stack "staging": kayobe-upgrade:allowDirtyKayobeConfig: ${checkout} is not a git checkout with a commit, so the run could not be traced to a kayobe-config commit; commit it to git, or set kayobe-upgrade:allowDirtyKayobeConfig true to upgrade from it anyway`,
    });
  });

  it("names git's refusal of a checkout another user owns, with git's fix, not as no checkout", function () {
    const { configPath, checkout } = committedSample();
    // Only root can give the checkout away; git trusts every repository of its own user.
    if (process.getuid?.() !== 0) this.skip();
    fs.chownSync(checkout, 65534, 65534);
    assert.throws(() => refuseUntrustedCheckout(stagingConfig({ kayobeConfigPath: configPath })), {
      name: "ConfigError",
      message: `stack "staging": kayobe-upgrade:kayobeConfigPath: git refuses to read the kayobe-config checkout at ${checkout}, owned by another user ("dubious ownership"); run as its owner, or trust it with git config --global --add safe.directory ${checkout}`,
    });
  });
});
