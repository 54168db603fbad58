// What stands between one host's update and the next: the health checks waited for, and
// the decision for a host that cannot say whether it needs a reboot.
import { parseCommandMap, parseValueMap } from "./safety-config";
import { SettingName } from "./settings";

/** The checks run through kayobe on the controllers unless the stack switches them off or replaces them. */
export const BUILT_IN_HEALTH_CHECKS = ["containers", "mariadb", "rabbitmq"] as const;

export type RebootDecision = "reboot" | "no reboot";

export interface HostSafety {
  /** The stack's word on each check: a command of its own, or false to switch a built-in one off. */
  healthChecks: Record<string, string[] | false>;
  healthAttempts: number;
  healthIntervalSeconds: number;
  /** By host: what to do when it cannot say whether it needs a reboot. */
  rebootWithoutAnswer: Record<string, RebootDecision>;
}

export interface HostSafetyInput {
  value(name: SettingName): string | undefined;
  integer(name: SettingName, min: number, max: number): number;
  fail(name: SettingName, expected: string): never;
}

export function parseHostSafety({ value, integer, fail }: HostSafetyInput): HostSafety {
  const expected = `a map from check names to a command (a list of strings, passing when it exits 0), or false to switch off one of ${BUILT_IN_HEALTH_CHECKS.join(", ")}`;
  const healthChecks = parseCommandMap(value("hostHealthChecks"), expected, (e) => fail("hostHealthChecks", e), (name, command) =>
    command === false && !(BUILT_IN_HEALTH_CHECKS as readonly string[]).includes(name) ? `"${name}" is not a built-in check to switch off; expected ${expected}` : undefined,
  );
  return {
    healthChecks,
    healthAttempts: integer("hostHealthAttempts", 1, 1000),
    healthIntervalSeconds: integer("hostHealthInterval", 0, 3600),
    rebootWithoutAnswer: parseDecisions(value("rebootWithoutAnswer"), (e) => fail("rebootWithoutAnswer", e)),
  };
}

function parseDecisions(json: string | undefined, fail: (expected: string) => never): Record<string, RebootDecision> {
  return parseValueMap(json, (d): d is RebootDecision => d === "reboot" || d === "no reboot", () => fail(`expected a map of host names to "reboot" or "no reboot" (got ${json})`));
}
