// What a look at the cloud (an if-still-to-do command's `kayobe overcloud host command
// run`) says about each host, read from kayobe's ansible output.
import type { IfStillToDo } from "../runbook/phases";

/** The hosts whose grep matched, those whose grep did not, and those that failed otherwise. */
export interface Look {
  found: string[];
  notFound: string[];
  broken: string[];
}

/**
 * A host whose command exits 0 shows `changed: [host]`; one whose grep finds nothing,
 * `fatal: [host]: FAILED! => {..., "rc": 1, ...}`. Any other failure (an unreachable
 * host, docker's own exit code with pipefail) is broken: it says nothing either way.
 */
export function readLook(output: string): Look {
  const outcome = new Map<string, keyof Look>();
  for (const line of output.split("\n")) {
    const ok = /^(?:ok|changed): \[([^\]]+)\]/.exec(line);
    if (ok) {
      if (!outcome.has(ok[1])) outcome.set(ok[1], "found");
      continue;
    }
    const fatal = /^fatal: \[([^\]]+)\]: (\w+)! => (.*)$/.exec(line);
    if (fatal) outcome.set(fatal[1], fatal[2] === "FAILED" && exitCodeOf(fatal[3]) === 1 ? "notFound" : "broken");
  }
  const look: Look = { found: [], notFound: [], broken: [] };
  for (const [host, kind] of outcome) look[kind].push(host);
  return look;
}

function exitCodeOf(result: string): number | undefined {
  try {
    const rc = (JSON.parse(result) as { rc?: unknown }).rc;
    return typeof rc === "number" ? rc : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the command's `then` runs, and the decision the record keeps; or why the look settles nothing. */
export type Verdict = { toDo: boolean; decision: string } | { refusal: string };

/**
 * kayobe exits 0 when every host's grep matched and 2 when a host failed (ansible's
 * code for failed hosts, passed through). Only hosts that all agree settle the question.
 */
export function judgeLook(command: IfStillToDo, exitCode: number, output: string): Verdict {
  const { found, notFound, broken } = readLook(output);
  const hosts = [...found, ...notFound];
  const settles = (exitCode === 0 && notFound.length === 0) || (exitCode === 2 && notFound.length > 0);
  if (broken.length > 0) return { refusal: `exited with code ${exitCode}, failing on ${broken.join(", ")} otherwise than by finding nothing: the look settles nothing` };
  if (found.length > 0 && notFound.length > 0) return { refusal: `the hosts disagree: found on ${found.join(", ")}, not on ${notFound.join(", ")}; bring them to one state by hand, then run again` };
  if (hosts.length === 0 || !settles) return { refusal: `exited with code ${exitCode} with ${hosts.length === 0 ? "no host's answer" : `answers from ${hosts.join(", ")}`}: the look settles nothing` };
  const toDo = (found.length > 0) === (command.toDoWhen === "found");
  return { toDo, decision: toDo ? `still to do: ${found.length > 0 ? "found" : "not found"} on ${hosts.join(", ")}` : `found done: ${command.done} (${hosts.join(", ")})` };
}
