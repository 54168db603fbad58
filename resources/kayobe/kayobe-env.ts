import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { inheritedEnv } from "./process-env";

/** The environment a kayobe-config sets up for kayobe, and where it came from. */
export interface KayobeEnv {
  /** What the config's `kayobe-env` exported (KAYOBE_CONFIG_PATH, KOLLA_CONFIG_PATH...). */
  vars: Record<string, string>;
  /** `kayobe-env` when the checkout has one; `defaults` when kayobe applies its own. */
  source: "kayobe-env" | "defaults";
}

/** Variables a shell sets by itself, not exports of the script. */
const SHELL_OWN = new Set(["_", "PWD", "OLDPWD", "SHLVL"]);

/**
 * Sources the checkout's own `kayobe-env` (StackHPC's layout) in bash, as an operator
 * does before running kayobe, and returns what it exported. The site decides: its
 * script may set paths of its own (KOLLA_VENV_PATH, KOLLA_SOURCE_PATH...). Without a
 * script, kayobe's defaults apply to everything but the config path and environment.
 * Returns an error text when the script refuses (an unknown environment).
 */
export function readKayobeEnv(checkout: string, configPath: string, environment: string | undefined): KayobeEnv | string {
  const script = path.join(checkout, "kayobe-env");
  if (!fs.statSync(script, { throwIfNoEntry: false })?.isFile()) {
    return { vars: { KAYOBE_CONFIG_PATH: configPath, ...(environment === undefined ? {} : { KAYOBE_ENVIRONMENT: environment }) }, source: "defaults" };
  }
  // env -0 before and after, in one shell: the difference is what the script exported.
  const shell = 'env -0; printf "\\0--\\0"; source ./kayobe-env "$@" >&2 || exit $?; env -0';
  const args = environment === undefined ? [] : ["--environment", environment];
  const result = spawnSync("bash", ["-c", shell, "kayobe-env", ...args], { cwd: checkout, encoding: "utf8", env: inheritedEnv() });
  if (result.status !== 0) return `${script} ${args.join(" ")} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim().split("\n").slice(-3).join(" ")}`;
  const [before, after] = result.stdout.split("\0--\0").map(parseEnv0);
  const vars = Object.fromEntries(Object.entries(after).filter(([name, value]) => !SHELL_OWN.has(name) && before[name] !== value));
  return { vars, source: "kayobe-env" };
}

function parseEnv0(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split("\0")
      .filter((entry) => entry.includes("="))
      .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)]),
  );
}
