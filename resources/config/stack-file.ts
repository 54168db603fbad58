// A stack's settings read from its Pulumi.<stack>.yaml, for the helper scripts that run
// without the Pulumi engine. Secrets stay encrypted: only that they are secrets is read;
// the vault password alone is decrypted, by bin/pulumi, for kayobe.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../errors";
import { closestOf, NAMESPACE, RawSetting, RawSettings, settingsOf } from "./settings";

/** The stacks whose settings this project holds: one Pulumi.<stack>.yaml each. */
function stacksOf(projectRoot: string): string[] {
  return fs
    .readdirSync(projectRoot)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/** The stacks named in `pulumi stack ls --json` (by their short names). */
export function listedStacks(json: string): string[] {
  return (JSON.parse(json) as { name: string }[]).map((stack) => stack.name.split("/").pop()!);
}

/** Refuses a stack this project has no settings for, listing those it has; never creates one. */
function requireStack(projectRoot: string, stack: string): void {
  const stacks = stacksOf(projectRoot);
  if (stacks.includes(stack)) return;
  const closest = closestOf(stack, stacks);
  throw new ConfigError(
    stack,
    `Pulumi.${stack}.yaml`,
    `no such stack in ${projectRoot}${closest === undefined ? "" : `; did you mean ${closest}?`} Stacks: ${stacks.join(", ") || "none"}. A new stack is created with bin/pulumi stack init ${stack}, then bin/pulumi config set ...`,
  );
}

export function readStackFile(projectRoot: string, stack: string): RawSettings {
  requireStack(projectRoot, stack);
  const file = path.join(projectRoot, `Pulumi.${stack}.yaml`);
  const config = ((parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> }).config ?? {};
  const entries = Object.entries(config).map(([key, value]): [string, RawSetting] => {
    // A value set with --secret, or a map with a part set with --secret --path, is a secret.
    if (holdsSecret(value)) return [key, { secret: true }];
    // As Pulumi hands config over: strings as they are, structured values as JSON.
    return [key, { secret: false, value: typeof value === "string" ? value : JSON.stringify(value) }];
  });
  return settingsOf(stack, Object.fromEntries(entries));
}

function holdsSecret(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  return "secure" in value || Object.values(value).some(holdsSecret);
}

/**
 * The stack's vault password in plaintext, decrypted by bin/pulumi with the operator's
 * passphrase: kayobe needs it to read the config's vault files. It goes to kayobe's
 * environment only.
 */
export function readVaultPassword(projectRoot: string, stack: string): string {
  const pulumi = (args: string[]) => spawnSync(path.join(projectRoot, "bin", "pulumi"), [...args, "--non-interactive"], { cwd: projectRoot, encoding: "utf8" });
  // Pulumi decrypts only a stack on the backend; the helper scripts never create one.
  const listed = pulumi(["stack", "ls", "--json"]);
  const stacks = listed.status === 0 ? listedStacks(listed.stdout) : [];
  if (listed.status === 0 && !stacks.includes(stack)) {
    throw new ConfigError(stack, `${NAMESPACE}:vaultPassword`, `cannot be decrypted: the stack is not on the backend yet (stacks there: ${stacks.join(", ") || "none"}); create it with bin/pulumi stack select --create ${stack}, then run this again`);
  }
  const result = pulumi(["config", "get", `${NAMESPACE}:vaultPassword`, "--stack", stack]);
  if (result.status !== 0) throw new ConfigError(stack, `${NAMESPACE}:vaultPassword`, `could not be read with bin/pulumi config get: ${result.stderr.trim().split("\n").slice(-2).join(" ")}`);
  return result.stdout.replace(/\n$/, "");
}
