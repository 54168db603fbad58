// A stack's config read from its Pulumi.<stack>.yaml, for tools that run without the
// Pulumi engine (the preflight's command line). Secrets stay encrypted: only whether
// the vault password is one is needed.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "../errors";
import { NAMESPACE, RawStackConfig } from "./stack-config";

export function readStackFile(projectRoot: string, stack: string): RawStackConfig {
  const file = path.join(projectRoot, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) throw new ConfigError(stack, `Pulumi.${stack}.yaml`, `expected the stack's config file at ${file} (bin/pulumi stack init ${stack}, then bin/pulumi config set ...)`);
  const config = ((parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> }).config ?? {};
  const values: Record<string, string | undefined> = {};
  let vaultPasswordIsSecret = false;
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    const name = key.slice(NAMESPACE.length + 1);
    const secret = typeof value === "object" && value !== null && "secure" in value;
    if (name === "vaultPassword") vaultPasswordIsSecret = secret;
    // As Pulumi hands config over: strings as they are, structured values as JSON.
    values[name] = secret ? "<secret>" : typeof value === "string" ? value : JSON.stringify(value);
  }
  return { values, vaultPasswordIsSecret };
}

/**
 * The stack's vault password in plaintext, decrypted by bin/pulumi with the operator's
 * passphrase: kayobe needs it to read the config's vault files. It goes to kayobe's
 * environment only.
 */
export function readVaultPassword(projectRoot: string, stack: string): string {
  const result = spawnSync(path.join(projectRoot, "bin", "pulumi"), ["config", "get", `${NAMESPACE}:vaultPassword`, "--stack", stack, "--non-interactive"], { cwd: projectRoot, encoding: "utf8" });
  if (result.status !== 0) throw new ConfigError(stack, `${NAMESPACE}:vaultPassword`, `could not be read with bin/pulumi config get: ${result.stderr.trim().split("\n").slice(-2).join(" ")}`);
  return result.stdout.replace(/\n$/, "");
}
