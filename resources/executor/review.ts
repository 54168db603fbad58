// What an operator reviews before a step applies changes: the changes check mode found
// (`kayobe ... host configure --check --diff`), read from Ansible's output, or the kolla
// configuration diff. Each is recorded with a digest that an approval names.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { ToReview } from "../runbook/phases";

/** A review as the step that produced it records it (its outputs). */
export interface ReviewRecord {
  /** The file the operator reads. */
  file: string;
  /** Of the changes, secrets masked (`sha256:` and 16 hex digits): what an approval names. */
  digest: string;
  changedHosts: number;
  /** Check mode: the tasks that would change, summed over the hosts (PLAY RECAP's `changed=`). */
  changedTasks?: number;
  /** A configuration diff: the files that differ. */
  changedFiles?: number;
}

/** What check mode's output shows would change. */
export interface CheckModeChanges {
  /** Each task that would change something, its banner then the diff and the `changed:` line of each host. */
  text: string;
  hosts: string[];
  tasks: number;
}

const BANNER = /^[A-Z][A-Z ]*(?: \[.*\])? \*{3,}\s*$/;
const STATUS = /^(changed|ok|skipping|fatal|failed|included|unreachable|skipped): \[/;
const RECAP = /^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=\d+/;
/** The time and durations the profile_tasks callback prints under each banner: they differ on every run, the changes do not. */
const TIMING = /^\w+ \d{1,2} \w+ \d{4}\s+\d{2}:\d{2}:\d{2} [+-]\d{4} \(\d+:\d{2}:\d{2}\.\d+\)/;

/**
 * Reads Ansible's default output of a check-mode run (one or several playbook runs, as
 * kayobe makes them). With `--diff` Ansible prints a host's diff just before its status
 * line, so the lines before a `changed:` belong to it, and those before any other
 * status are dropped. How many hosts and tasks would change comes from the recaps.
 */
export function checkModeChanges(output: string): CheckModeChanges {
  const kept: string[] = [];
  const changed = new Map<string, number>();
  let banner: string | undefined;
  let task: string[] = [];
  let pending: string[] = [];
  const endTask = () => {
    if (banner !== undefined && task.length > 0) kept.push(banner, ...task);
    [banner, task, pending] = [undefined, [], []];
  };
  for (const line of output.split("\n")) {
    const recap = RECAP.exec(line);
    if (recap !== null) {
      changed.set(recap[1], (changed.get(recap[1]) ?? 0) + Number(recap[2]));
    } else if (BANNER.test(line)) {
      endTask();
      if (line.startsWith("TASK") || line.startsWith("RUNNING HANDLER")) banner = line;
    } else if (STATUS.test(line)) {
      if (line.startsWith("changed:")) task.push(...pending, line);
      pending = [];
    } else if (banner !== undefined && !TIMING.test(line)) {
      pending.push(line);
    }
  }
  endTask();
  const hosts = [...changed].filter(([, tasks]) => tasks > 0).map(([host]) => host);
  return { text: kept.join("\n"), hosts, tasks: [...changed.values()].reduce((a, b) => a + b, 0) };
}

/** The hosts and files a `diff -ru OLD NEW` shows to differ, from its output; OLD and NEW hold a folder per host. */
export function configDiffChanges(diff: string, old: string, next: string): { hosts: string[]; files: number } {
  const paths = diff.split("\n").flatMap((line) => {
    const differs = /^diff -ru (\S+) \S+$/.exec(line);
    const only = /^Only in (\S+?): (.+)$/.exec(line);
    return differs !== null ? [differs[1]] : only !== null ? [path.join(only[1], only[2])] : [];
  });
  const hostOf = (file: string) => path.relative(file.startsWith(next) ? next : old, file).split(path.sep)[0];
  return { hosts: [...new Set(paths.map(hostOf))], files: paths.length };
}

/**
 * The digest an approval names. Ansible's temporary file names (in a diff's `+++ after:`
 * header) differ from run to run and count as one; everything else counts.
 */
export function reviewDigest(text: string): string {
  const stable = text.replace(/\S*\/\.ansible\/tmp\/\S*/g, "<ansible temporary file>");
  return `sha256:${createHash("sha256").update(stable).digest("hex").slice(0, 16)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The changes a review counts, in words: "3 tasks on 1 host". */
export function describeChanges(review: ReviewRecord): string {
  const what = review.changedTasks !== undefined ? plural(review.changedTasks, "task") : plural(review.changedFiles ?? 0, "file");
  return `${what} on ${plural(review.changedHosts, "host")}`;
}

/** Whether a review shows anything to approve. */
export function hasChanges(review: ReviewRecord): boolean {
  return (review.changedTasks ?? review.changedFiles ?? 0) > 0;
}

/**
 * Records what a step's run leaves to review. Check mode's changes are read from the
 * step's log (its whole output, secrets masked) and written to the review file; a
 * configuration diff is its own file, masked with `hide` for the digest.
 */
export function recordReview(toReview: ToReview, log: string, hide: (text: string) => string): ReviewRecord {
  if (toReview.kind === "config-diff") {
    const diff = hide(fs.readFileSync(toReview.file, "utf8"));
    const { hosts, files } = configDiffChanges(diff, toReview.old, toReview.new);
    return { file: toReview.file, digest: reviewDigest(diff), changedHosts: hosts.length, changedFiles: files };
  }
  const changes = checkModeChanges(fs.readFileSync(log, "utf8"));
  const review: ReviewRecord = { file: toReview.file, digest: reviewDigest(changes.text), changedHosts: changes.hosts.length, changedTasks: changes.tasks };
  const header = [`# check mode would change ${describeChanges(review)}${changes.hosts.length > 0 ? `: ${changes.hosts.join(", ")}` : ""}`, `# digest ${review.digest}; the whole output is in ${log}`];
  fs.mkdirSync(path.dirname(toReview.file), { recursive: true });
  fs.writeFileSync(toReview.file, `${[...header, changes.text].join("\n")}\n`, { mode: 0o600 });
  return review;
}
