import * as path from "path";
import { ALWAYS_BACKED_UP, BACKUP_POINTS, BackupPoint, isBackupPoint } from "../runbook/backups";
import { PREREQUISITE_CHECKS, PrerequisiteCheck } from "../runbook/prerequisites";
import { SettingName } from "./settings";

/** The stack's choices about the checks and backups around the upgrade. */
export interface SafetyConfig {
  /** Upgrade from a kayobe-config checkout with uncommitted changes (or none at all). */
  allowDirtyKayobeConfig: boolean;
  /** Points, besides before the overcloud service upgrade, where the database is backed up. */
  databaseBackups: BackupPoint[];
  /** The pip of the Kayobe virtual environment; unknown when kayobe is found on PATH and no venv is set. */
  kayobePip?: string;
  /** The command of each prerequisite check, or false where the stack switches it off. */
  prerequisiteChecks: Partial<Record<PrerequisiteCheck, string[] | false>>;
  /** Blocking notable-change rules the operator has handled another way: shown as warnings. */
  acknowledgedChanges: string[];
}

export interface SafetyInput {
  value(name: SettingName): string | undefined;
  kayobeBin: string;
  resolve(value: string): string;
  flag(name: SettingName): boolean;
  stringList(name: SettingName): string[];
  fail(name: SettingName, expected: string): never;
}

export function parseSafetyConfig({ value, kayobeBin, resolve, flag, stringList, fail }: SafetyInput): SafetyConfig {
  const databaseBackups = stringList("databaseBackups");
  const unknown = databaseBackups.find((point) => !isBackupPoint(point));
  if (unknown !== undefined) fail("databaseBackups", `expected points among ${Object.keys(BACKUP_POINTS).join(", ")} (got "${unknown}"); ${ALWAYS_BACKED_UP} is always backed up`);
  const venv = value("kayobeVenv");
  // In a virtualenv pip sits next to kayobe, in bin/.
  const kayobePip = venv !== undefined ? path.join(resolve(venv), "bin", "pip") : kayobeBin.includes("/") ? path.join(path.dirname(kayobeBin), "pip") : undefined;
  return {
    allowDirtyKayobeConfig: flag("allowDirtyKayobeConfig"),
    databaseBackups: databaseBackups as BackupPoint[],
    kayobePip,
    prerequisiteChecks: parseChecks(value("prerequisiteChecks"), (expected) => fail("prerequisiteChecks", expected)),
    acknowledgedChanges: stringList("acknowledgedChanges"),
  };
}

function parseChecks(json: string | undefined, fail: (expected: string) => never): SafetyConfig["prerequisiteChecks"] {
  const expected = `a map from ${Object.keys(PREREQUISITE_CHECKS).join(", ")} to a command (a list of strings, passing when it exits 0) or false to switch the check off`;
  return parseCommandMap(json, expected, fail, (id) => (Object.hasOwn(PREREQUISITE_CHECKS, id) ? undefined : `"${id}" is not a prerequisite check; expected ${expected}`));
}

/**
 * A JSON map of check names to a command (an argv list) or false; `refuse` says what is
 * wrong with an entry that is well formed, if anything.
 */
export function parseCommandMap(json: string | undefined, expected: string, fail: (expected: string) => never, refuse: (name: string, command: string[] | false) => string | undefined): Record<string, string[] | false> {
  if (json === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return fail(`expected ${expected} (got "${json}")`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return fail(`expected ${expected} (got ${json})`);
  const checks: Record<string, string[] | false> = {};
  for (const [id, command] of Object.entries(value)) {
    const valid = command === false || (Array.isArray(command) && command.length > 0 && command.every((arg) => typeof arg === "string" && arg !== ""));
    const problem = valid ? refuse(id, command as string[] | false) : `expected a command (a non-empty list of strings) or false for ${id} (got ${JSON.stringify(command)})`;
    if (problem !== undefined) fail(problem);
    checks[id] = command as string[] | false;
  }
  return checks;
}

/** A JSON map whose every value `valid` accepts; anything else is refused. */
export function parseValueMap<T>(json: string | undefined, valid: (value: unknown) => value is T, refuse: () => never): Record<string, T> {
  if (json === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return refuse();
  }
  const isMap = typeof value === "object" && value !== null && !Array.isArray(value);
  return isMap && Object.values(value as object).every(valid) ? (value as Record<string, T>) : refuse();
}
