// The site's configuration for the source release, as a git worktree of the checkout's
// own repository: the Prerequisites run from it while the checkout is at the target.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../errors";
import { checkoutOf } from "./kayobe-config";
import { StackConfig } from "./stack-config";

export interface SourceWorktree {
  /** Its etc/kayobe, where the checkout has its own. */
  configPath: string;
  /** The commit `sourceConfigRef` names. */
  commit: string;
}

/**
 * Puts a worktree of `sourceConfigRef` in the stack's scratch folder, at the commit the
 * ref names now (detached: the ref is the operator's, the worktree only follows it).
 * What kayobe wrote there (its kolla config, ignored by git) stays.
 */
export function sourceWorktree(config: StackConfig, ref: string): SourceWorktree {
  const checkout = checkoutOf(config.kayobeConfigPath);
  const fail = (expected: string): never => {
    throw new ConfigError(config.stack, "kayobe-upgrade:sourceConfigRef", expected);
  };
  const git = (cwd: string, ...args: string[]) => spawnSync("git", args, { cwd, encoding: "utf8" });
  const top = git(checkout, "rev-parse", "--show-toplevel");
  if (top.status !== 0) fail(`names a git ref of the kayobe-config checkout, but ${checkout} is not in a git repository`);
  const commit = git(checkout, "rev-parse", "--verify", "-q", `${ref}^{commit}`);
  if (commit.status !== 0) {
    const branches = git(checkout, "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes", "refs/tags").stdout.trim().split("\n").filter(Boolean);
    fail(`"${ref}" is not a branch, tag or commit of the kayobe-config repository at ${checkout} (it has: ${branches.slice(0, 12).join(", ") || "none"}); fetch it, or set the ref of the site's configuration for the source release`);
  }
  const worktree = path.join(config.workDir, "source-kayobe-config");
  const sha = commit.stdout.trim();
  // Ours only when it is a worktree's top of the same repository: a plain folder inside the
  // checkout's repository (the sample's case) would answer for the checkout itself.
  const isOurs = fs.existsSync(worktree) && same(git(worktree, "rev-parse", "--show-toplevel").stdout, worktree) && same(commonDir(worktree), commonDir(checkout));
  const made = isOurs
    ? git(worktree, "checkout", "-q", "-f", "--detach", sha)
    : (fs.rmSync(worktree, { recursive: true, force: true }), git(checkout, "worktree", "prune"), git(checkout, "worktree", "add", "-q", "-f", "--detach", worktree, sha));
  if (made.status !== 0) fail(`could not check out ${ref} (${sha}) into ${worktree}: ${made.stderr.trim()}`);
  return { configPath: path.join(worktree, path.relative(top.stdout.trim(), config.kayobeConfigPath)), commit: sha };
}

function commonDir(dir: string): string {
  return spawnSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: dir, encoding: "utf8" }).stdout ?? "";
}

function same(a: string, b: string): boolean {
  return a.trim() !== "" && fs.realpathSync(a.trim()) === fs.realpathSync(b.trim());
}
