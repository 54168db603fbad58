import { Phase, PHASES } from "../runbook/phases";

/** Commands to run after a phase, each an argv array (no shell), by the runbook's phase names. */
export type SmokeTests = Partial<Record<Phase, string[][]>>;

const EXPECTED = `expected a map from a phase (${PHASES.join(", ")}) to a list of commands, each a list of strings such as ["openstack", "server", "list"]`;

export function parseSmokeTests(json: string | undefined, fail: (expected: string) => never): SmokeTests {
  if (json === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail(`${EXPECTED} (got "${json}")`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail(`${EXPECTED} (got ${json})`);
  const tests: SmokeTests = {};
  for (const [phase, commands] of Object.entries(value)) {
    if (!(PHASES as readonly string[]).includes(phase)) fail(`"${phase}" is not a phase; ${EXPECTED}`);
    const valid = Array.isArray(commands) && commands.length > 0 && commands.every((c) => Array.isArray(c) && c.length > 0 && c.every((arg) => typeof arg === "string" && arg !== ""));
    if (!valid) fail(`the tests after "${phase}" are not a list of commands; ${EXPECTED} (got ${JSON.stringify(commands)})`);
    tests[phase as Phase] = commands as string[][];
  }
  return tests;
}
