// What the hosts answer to "does a reboot need to happen?" (a reboot-if-required's check,
// a `kayobe ... host command run --show-output`), read from kayobe's ansible output. No
// answer is never taken for "no".
import type { RebootDecision } from "../config/host-safety";

const YES = /Reboot is required|System restart required/i;
const NO = /Reboot should not be necessary/i;

/** Each host the check reached, and what it said: its standard output, or how it failed. */
export function hostReplies(output: string): Map<string, string> {
  const replies = new Map<string, string>();
  const add = (host: string, text: string) => replies.set(host, [replies.get(host), text].filter((t) => t).join("\n"));
  let current: string | undefined;
  for (const line of output.split("\n")) {
    // A failed host's line holds its result as JSON: its stdout is its answer (needs-restarting -r exits 1 when a reboot is required), the rest says why.
    const fatal = /^fatal: \[([^\]]+)\]: (\w+)! => (.*)$/.exec(line);
    if (fatal) {
      current = fatal[1];
      add(current, describeFailure(fatal[2], fatal[3]));
      continue;
    }
    const header = /^(\S+) \| [A-Z]+/.exec(line) ?? /^(?:ok|changed): \[([^\]]+)\]/.exec(line);
    const recap = /^(\S+)\s+: ok=\d+/.exec(line);
    if (header) current = header[1];
    else if (recap) add(recap[1], "");
    else if (/^(PLAY|TASK)\b/.test(line)) current = undefined;
    else if (current !== undefined && line.trim() !== "") add(current, line.trim());
    if (header) add(current!, "");
  }
  return replies;
}

function describeFailure(kind: string, json: string): string {
  try {
    const result = JSON.parse(json) as { rc?: number; stdout?: string; stderr?: string; msg?: string };
    const why = [result.rc !== undefined ? `exit code ${result.rc}` : kind, result.stderr || result.msg].filter((t) => t).join(": ");
    return [result.stdout, `(${why})`].filter((t) => t).join("\n");
  } catch {
    return `(${kind}: ${json})`;
  }
}

/** Which hosts to reboot, and the decision the record keeps; or why the check settles nothing. */
export type RebootVerdict = { reboot: string[]; decision: string } | { refusal: string };

/**
 * Every host reached must say yes or no; one that says neither is decided by the stack's
 * `rebootWithoutAnswer`, or stops the step naming it. A host that answers is never overruled.
 */
export function judgeRebootCheck(output: string, decisions: Record<string, RebootDecision>): RebootVerdict {
  const replies = hostReplies(output);
  if (replies.size === 0) return { refusal: "no host answered whether it needs a reboot" };
  const yes = [...replies].filter(([, text]) => YES.test(text)).map(([host]) => host);
  const no = [...replies].filter(([host, text]) => !yes.includes(host) && NO.test(text)).map(([host]) => host);
  const unanswered = [...replies.keys()].filter((host) => !yes.includes(host) && !no.includes(host));
  const undecided = unanswered.filter((host) => decisions[host] === undefined);
  if (undecided.length > 0) {
    const said = undecided.map((host) => `${host} said ${JSON.stringify(replies.get(host) || "nothing")}`).join("; ");
    const set = undecided.map((host) => `bin/pulumi config set --path 'kayobe-upgrade:rebootWithoutAnswer["${host}"]' reboot`).join(" and ");
    return {
      refusal: `no answer whether ${undecided.join(", ")} need${undecided.length === 1 ? "s" : ""} a reboot (${said}); decide: ${set} (or "no reboot" once you have checked the running kernel by hand), or install what answers (needs-restarting, from dnf-utils), then up again`,
    };
  }
  const decided = unanswered.map((host) => `${host} did not answer, ${decisions[host]} as kayobe-upgrade:rebootWithoutAnswer decides`);
  const reboot = [...yes, ...unanswered.filter((host) => decisions[host] === "reboot")];
  const decision = [reboot.length > 0 ? `reboot required on ${reboot.join(", ")}` : "no reboot required", ...decided].join("; ");
  return { reboot, decision };
}
