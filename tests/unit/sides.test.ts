import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readSides } from "../../resources/config/sides";
import { StackConfig } from "../../resources/config/stack-config";
import { PROJECT, REAL_KAYOBE, REAL_KAYOBE_2023_1, SAMPLE_VAULT_PASSWORD, stagingConfig } from "./fixtures";

/** A fresh copy of the sample site's repository (scripts/sample-kayobe-config.sh): site/2023.1, then site/2024.1 checked out. */
function sampleRepository(): string {
  const dest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sample-site-")), "kayobe-config");
  const built = spawnSync("bash", [path.join(PROJECT, "scripts", "sample-kayobe-config.sh"), dest], { encoding: "utf8" });
  assert.strictEqual(built.status, 0, built.stderr);
  return dest;
}

function git(repo: string, ...args: string[]): string {
  const result = spawnSync("git", args, { cwd: repo, encoding: "utf8" });
  assert.strictEqual(result.status, 0, result.stderr);
  return result.stdout.trim();
}

function configFor(repo: string, overrides: Partial<StackConfig> = {}): StackConfig {
  return stagingConfig({ kayobeConfigPath: path.join(repo, "etc", "kayobe"), workDir: fs.mkdtempSync(path.join(os.tmpdir(), "sides-work-")), ...overrides });
}

function refusal(config: StackConfig): string {
  try {
    readSides(config, SAMPLE_VAULT_PASSWORD.staging);
  } catch (err) {
    assert.strictEqual((err as Error).name, "ConfigError");
    return (err as Error).message;
  }
  return assert.fail("expected a refusal");
}

const FROM_TO = "the stack upgrades from 2023.1 (antelope) to 2024.1 (caracal), but";
const EVALUATORS =
  "a kayobe of each release reads that release's configuration (kayobe-upgrade:sourcePreflightKayobeBin for 2023.1, kayobe-upgrade:preflightKayobeBin for 2024.1, both kayobeBin by default; scripts/ensure-kayobe.sh VERSION installs one from PyPI)";

describe("the two sides of the upgrade, each as a kayobe of its release reads it", function () {
  this.timeout(120000);

  it("runs the source side from a worktree of sourceConfigRef in the stack's scratch folder, read by kayobe 14, and the rest from the checkout, read by kayobe 16", () => {
    const repo = sampleRepository();
    const config = configFor(repo, { sourceConfigRef: "site/2023.1" });
    const sides = readSides(config, SAMPLE_VAULT_PASSWORD.staging);
    const worktree = path.join(config.workDir, "source-kayobe-config");
    assert.deepStrictEqual(
      [sides.source.configPath, sides.source.checkout, sides.source.evaluatedBy, sides.source.vars.openstack_release, sides.source.env.vars.KOLLA_CONFIG_PATH],
      [path.join(worktree, "etc", "kayobe"), worktree, REAL_KAYOBE_2023_1, "2023.1", path.join(worktree, "etc", "kolla")],
    );
    assert.deepStrictEqual([sides.target.configPath, sides.target.evaluatedBy, sides.target.vars.openstack_release], [config.kayobeConfigPath, REAL_KAYOBE, "2024.1"]);
    // The kolla-ansible virtualenv and source are the control host's, beside the checkout, not beside the worktree.
    const base = path.resolve(repo, "..", "..");
    assert.deepStrictEqual(
      [sides.source.env.vars.KOLLA_VENV_PATH, sides.source.env.vars.KOLLA_SOURCE_PATH, sides.target.env.vars.KOLLA_VENV_PATH],
      [path.join(base, "venvs", "kolla-ansible"), path.join(base, "src", "kolla-ansible"), path.join(base, "venvs", "kolla-ansible")],
    );
    assert.deepStrictEqual([sides.releases, sides.waiting], [{ source: "2023.1", target: "2024.1" }, {}]);
    assert.strictEqual(git(worktree, "rev-parse", "HEAD"), git(repo, "rev-parse", "site/2023.1"));
    assert.ok(fs.existsSync(path.join(worktree, "tools", "rabbitmq-quorum-migration.sh")), "the 2023.1 branch's migration script");
    assert.strictEqual(git(repo, "rev-parse", "--abbrev-ref", "HEAD"), "site/2024.1", "the checkout stays on its branch");
  });

  it("follows the ref when it moves, keeping what kayobe wrote in the worktree", () => {
    const repo = sampleRepository();
    const config = configFor(repo, { sourceConfigRef: "site/2023.1" });
    readSides(config, SAMPLE_VAULT_PASSWORD.staging);
    const worktree = path.join(config.workDir, "source-kayobe-config");
    fs.mkdirSync(path.join(worktree, "etc", "kolla"), { recursive: true });
    fs.writeFileSync(path.join(worktree, "etc", "kolla", "globals.yml"), "written: by kayobe\n");
    git(repo, "update-ref", "refs/heads/site/2023.1", git(repo, "commit-tree", "-p", "site/2023.1", "-m", "A fix on 2023.1", `site/2023.1^{tree}`));
    const sides = readSides(config, SAMPLE_VAULT_PASSWORD.staging);
    assert.strictEqual(git(worktree, "rev-parse", "HEAD"), git(repo, "rev-parse", "site/2023.1"));
    assert.strictEqual(sides.source.vars.openstack_release, "2023.1");
    assert.strictEqual(fs.readFileSync(path.join(worktree, "etc", "kolla", "globals.yml"), "utf8"), "written: by kayobe\n");
  });

  it("refuses a sourceConfigRef the repository does not have, listing what it has", () => {
    const repo = sampleRepository();
    assert.strictEqual(
      refusal(configFor(repo, { sourceConfigRef: "site/2023.2" })),
      `stack "staging": kayobe-upgrade:sourceConfigRef: "site/2023.2" is not a branch, tag or commit of the kayobe-config repository at ${repo} (it has: site/2023.1, site/2024.1); fetch it, or set the ref of the site's configuration for the source release`,
    );
  });

  it("refuses a sourceConfigRef at another release, and a checkout not at the target, naming both releases", () => {
    const repo = sampleRepository();
    const target = git(repo, "rev-parse", "site/2024.1");
    assert.strictEqual(
      refusal(configFor(repo, { sourceConfigRef: "site/2024.1" })),
      `stack "staging": kayobe-upgrade:sourceConfigRef: ${FROM_TO} site/2024.1 (${target}) is not at 2023.1: it names its release caracal (openstack_release_codename), not antelope; set it to the ref of the site's 2023.1 configuration; ${EVALUATORS}`,
    );
    git(repo, "checkout", "-q", "site/2023.1");
    assert.strictEqual(
      refusal(configFor(repo, { sourceConfigRef: "site/2023.1" })),
      `stack "staging": kayobe-upgrade:kayobeConfigPath: ${FROM_TO} the kayobe-config checkout at ${repo} is not at 2024.1: it names its release antelope (openstack_release_codename), not caracal; check out the site's 2024.1 configuration there (the source release's is site/2023.1); ${EVALUATORS}`,
    );
  });

  it("with the checkout still at the source release and no ref: the source side runs from it, the target side waits for the merge", () => {
    const repo = sampleRepository();
    git(repo, "checkout", "-q", "site/2023.1");
    const config = configFor(repo);
    const sides = readSides(config, SAMPLE_VAULT_PASSWORD.staging);
    assert.deepStrictEqual([sides.source.configPath, sides.source.evaluatedBy, sides.source.vars.openstack_release], [config.kayobeConfigPath, REAL_KAYOBE_2023_1, "2023.1"]);
    assert.strictEqual(sides.target, sides.source);
    assert.deepStrictEqual(sides.waiting, {
      target: `the kayobe-config checkout at ${repo} is still at 2023.1 (antelope): the steps of 2024.1 (caracal) run only from its configuration. Once the Prerequisites are done, merge the site's 2024.1 configuration into the checkout (the runbook's Preparation: Migrating Kayobe Configuration), commit it, and run bin/pulumi up again`,
    });
  });

  it("with the checkout at the target and no ref: the source side waits for a configuration to run from", () => {
    const repo = sampleRepository();
    const sides = readSides(configFor(repo), SAMPLE_VAULT_PASSWORD.staging);
    assert.deepStrictEqual(sides.waiting, {
      source: `the Prerequisites run on 2023.1 (antelope) from the site's 2023.1 configuration, and the kayobe-config checkout at ${repo} is at 2024.1: set kayobe-upgrade:sourceConfigRef to the git ref of the site's 2023.1 configuration (e.g. its 2023.1 branch), or record the steps done already in kayobe-upgrade:doneByHand`,
    });
  });

  it("refuses a checkout at neither release, as its kayobe evaluates it, and a kayobe of the wrong release reading a side", () => {
    const repo = sampleRepository();
    fs.writeFileSync(path.join(repo, "etc", "kayobe", "openstack.yml"), 'openstack_release: "2023.1"\nopenstack_release_codename: caracal\n');
    assert.strictEqual(
      refusal(configFor(repo)),
      `stack "staging": kayobe-upgrade:targetRelease: ${FROM_TO} the kayobe-config checkout at ${repo} is at neither: ${REAL_KAYOBE} evaluates its openstack_release as 2023.1; check out the site's 2024.1 configuration there (or, before the Prerequisites, its 2023.1 configuration), or change targetRelease; ${EVALUATORS}`,
    );
    const fresh = sampleRepository();
    const config = configFor(fresh, { sourceConfigRef: "site/2023.1", sourcePreflightKayobeBin: REAL_KAYOBE });
    const commit = git(fresh, "rev-parse", "site/2023.1");
    assert.ok(refusal(config).startsWith(`stack "staging": kayobe-upgrade:sourceConfigRef: ${FROM_TO} site/2023.1 (${commit}) is not at 2023.1: ${REAL_KAYOBE} evaluates its openstack_release as 2024.1; `));
  });
});
