import { spawnSync } from "child_process";
import { checkoutOf } from "../config/kayobe-config";
import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";

/** Which kayobe-config an upgrade ran from, as the stack's outputs record it. */
export interface Checkout {
  /** The checkout's folder (etc/kayobe's grandparent). */
  path: string;
  /** null when the folder is not in a git repository, or it has no commit yet. */
  commit: string | null;
  /** null when detached or not in git. */
  branch: string | null;
  /** No uncommitted change, staged, unstaged, untracked, or ignored where kayobe reads it, under the checkout's folder. */
  clean: boolean;
  /** `git status --porcelain` lines, for the refusal message. */
  changes: string[];
}

/** Reads the checkout's git state (read only: git status may refresh its index, nothing else). */
export function readCheckout(kayobeConfigPath: string): Checkout {
  const dir = checkoutOf(kayobeConfigPath);
  const git = (...args: string[]) => {
    const result = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
    return result.status === 0 ? result.stdout.trim() : null;
  };
  const commit = git("rev-parse", "--verify", "-q", "HEAD");
  // Only the checkout's folder counts: the sample lives inside this project's repository.
  const status = commit === null ? null : git("status", "--porcelain", "--untracked-files=all", "--ignored=matching", "--", ".");
  const changes = status === null ? [] : status.split("\n").filter((line) => line !== "" && (!line.startsWith("!! ") || readByKayobe(line.slice(3))));
  return { path: dir, commit, branch: commit === null ? null : git("symbolic-ref", "--short", "-q", "HEAD"), clean: status !== null && changes.length === 0, changes };
}

/**
 * Git refuses a repository another user owns ("dubious ownership"), which would read as
 * no checkout at all: named for what it is, with git's own fix.
 */
export function refuseUntrustedCheckout(config: StackConfig): void {
  const dir = checkoutOf(config.kayobeConfigPath);
  const { stderr } = spawnSync("git", ["rev-parse", "--git-dir"], { cwd: dir, encoding: "utf8" });
  if (!/dubious ownership/.test(stderr ?? "")) return;
  throw new ConfigError(
    config.stack,
    "kayobe-upgrade:kayobeConfigPath",
    `git refuses to read the kayobe-config checkout at ${dir}, owned by another user ("dubious ownership"); run as its owner, or trust it with git config --global --add safe.directory ${dir}`,
  );
}

/**
 * An ignored file that kayobe reads as configuration (a local-*.yml of variables, an
 * inventory, kolla globals or config) changes what runs while git calls the checkout
 * clean. Not so the Galaxy roles and collections that \`kayobe control host bootstrap\`
 * installs under ansible/, the seed's address kayobe itself writes, or kayobe's output.
 */
function readByKayobe(file: string): boolean {
  const within = /(?:^|\/)etc\/kayobe\/(.*)$/.exec(file)?.[1];
  return within !== undefined && !/^(environments\/[^/]+\/)?ansible\//.test(within) && within !== "inventory/group_vars/seed/ansible-host";
}

/** The runbook's `git status` before the upgrade: a run must be traceable to a commit. */
export function refuseDirtyCheckout(config: StackConfig, checkout: Checkout): void {
  if (checkout.clean || config.safety.allowDirtyKayobeConfig) return;
  const [what, fix] =
    checkout.commit === null
      ? [`${checkout.path} is not a git checkout with a commit, so the run could not be traced to a kayobe-config commit`, "commit it to git"]
      : [`the kayobe-config checkout at ${checkout.path} has uncommitted changes (${listed(checkout.changes)})`, "commit them"];
  throw new ConfigError(config.stack, "kayobe-upgrade:allowDirtyKayobeConfig", `${what}; ${fix}, or set kayobe-upgrade:allowDirtyKayobeConfig true to upgrade from it anyway`);
}

function listed(changes: string[]): string {
  const shown = changes.slice(0, 5).join("; ");
  return changes.length > 5 ? `${shown}; and ${changes.length - 5} more` : shown;
}
