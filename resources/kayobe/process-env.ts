import * as path from "path";

/**
 * What a kayobe-config's `kayobe-env` sets: taken from the stack (the config's script, or
 * kayobeEnv), never from the shell `pulumi` happens to run in, which may have sourced
 * another site's.
 */
export const KAYOBE_ENV_VARS = ["KAYOBE_CONFIG_PATH", "KAYOBE_ENVIRONMENT", "KOLLA_CONFIG_PATH", "KOLLA_SOURCE_PATH", "KOLLA_VENV_PATH"];

/** Which kayobe runs, on which configuration: what its environment is made from. */
export interface KayobeInvocation {
  kayobeBin: string;
  kayobeConfigPath: string;
  environment?: string;
  /** The config's kayobe-env exports, then the stack's own kayobeEnv. */
  kayobeEnv: Record<string, string>;
}

/** The environment kayobe runs in, for the upgrade's commands and for reading the config alike. */
export function kayobeProcessEnv(invocation: KayobeInvocation, vaultPassword: string, secretEnv: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...inheritedEnv(), ...invocation.kayobeEnv, ...secretEnv };
  // As activating kayobe's virtualenv would: scripts the runbook runs call `kayobe` by name.
  if (invocation.kayobeBin.includes("/")) env.PATH = `${path.dirname(invocation.kayobeBin)}${path.delimiter}${env.PATH ?? ""}`;
  env.KAYOBE_CONFIG_PATH = invocation.kayobeConfigPath;
  if (invocation.environment === undefined) delete env.KAYOBE_ENVIRONMENT;
  else env.KAYOBE_ENVIRONMENT = invocation.environment;
  // kayobe refuses both at once; the stack's secret is the one that counts.
  delete env.ANSIBLE_VAULT_PASSWORD_FILE;
  env.KAYOBE_VAULT_PASSWORD = vaultPassword;
  return env;
}

/** This process's environment less what kayobe-env sets. */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !KAYOBE_ENV_VARS.includes(name)));
}
