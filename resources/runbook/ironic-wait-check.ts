// The runbook's "check whether any ironic nodes are in a wait state" before the overcloud
// service upgrade: `baremetal node list | grep wait`, read whole and as data.
import type { StackConfig } from "../config/stack-config";
import type { Step } from "./phases";

/** The client's columns the check reads (python-ironicclient's headers). */
const NAME = "Name";
const UUID = "UUID";
const STATE = "Provisioning State";

/**
 * Every node, as JSON: without `--limit 0` the client returns one page, as many nodes as
 * the Ironic API's max_limit (1000 by default), and a table's tail would miss the top.
 */
export function nodeListArgv(baremetalBin: string): string[] {
  return [baremetalBin, "node", "list", "--limit", "0", "-f", "json", "-c", UUID, "-c", NAME, "-c", STATE];
}

export function ironicWaitCheck(config: StackConfig): Step {
  return {
    name: "ironic-wait-state-check",
    phase: "Upgrading the Overcloud",
    title: "Check no Ironic node is in a wait state",
    commands: [
      {
        kind: "refuse-nodes-in-wait-state",
        argv: nodeListArgv(config.baremetalBin),
        reason: "Ironic nodes in a wait state block the upgrade; wait for them, or set ironic_upgrade_skip_wait_check: true in kolla/globals.yml",
      },
    ],
    risk: "safe",
    drivenBy: ["release", "imageTags"],
  };
}

/**
 * The nodes (by name, else UUID) whose provision state is a wait state (`clean wait`,
 * `wait call-back`, `inspect wait`...), as kolla-ansible's own check matches them. Throws
 * when the answer is not the list asked for: a check that cannot read its answer passes nothing.
 */
export function nodesInWaitState(answer: string): string[] {
  let nodes: unknown;
  try {
    nodes = JSON.parse(answer);
  } catch {
    throw new Error(`expected the Ironic client's node list as JSON, got ${JSON.stringify(answer.slice(0, 200))}`);
  }
  const valid = Array.isArray(nodes) && nodes.every((node) => typeof node === "object" && node !== null && typeof node[STATE] === "string");
  if (!valid) throw new Error(`expected a JSON list of nodes, each with its "${STATE}", got ${JSON.stringify(answer.slice(0, 200))}`);
  return (nodes as Record<string, unknown>[]).filter((node) => /\bwait\b/i.test(node[STATE] as string)).map((node) => `${String(node[NAME] ?? node[UUID])} (${node[STATE]})`);
}

/** What the check found, short enough for the record and an error's first line (the log lists every node). */
export function describeWaiting(waiting: string[], shown = 10): string {
  if (waiting.length === 0) return "no node in a wait state";
  const more = waiting.length > shown ? `, and ${waiting.length - shown} more` : "";
  return `${waiting.length} node${waiting.length === 1 ? "" : "s"} in a wait state: ${waiting.slice(0, shown).join(", ")}${more}`;
}
