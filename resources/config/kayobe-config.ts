import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../errors";
import { cached, treeDigest } from "../kayobe/cache";
import { configurationDump, DumpFailed, Evaluated } from "../kayobe/configuration-dump";
import { KayobeEnv, readKayobeEnv } from "../kayobe/kayobe-env";
import { kayobeProcessEnv } from "../kayobe/process-env";
import { StackConfig } from "./stack-config";

/** Inventory groups and the hosts in each, `all` included. */
export type Inventory = Record<string, string[]>;

/**
 * What the upgrade plan needs to know of a kayobe-config, as kayobe and Ansible evaluate
 * it: never parsed here, since the config is Jinja, vault files, host ranges and
 * inventories in any format, resolved only by them.
 */
export interface KayobeConfig {
  configPath: string;
  environment?: string;
  /** The kayobe-config checkout (etc/kayobe's grandparent): where every command runs. */
  checkout: string;
  /** What the config's kayobe-env exports, for every command. */
  env: KayobeEnv;
  /** The kayobe that evaluated the configuration. */
  evaluatedBy: string;
  /** The kayobe variables the plan and the rules read (KAYOBE_VARIABLES), rendered. */
  vars: Record<string, unknown>;
  /** The kolla globals they read (KOLLA_GLOBALS), as kayobe renders kolla/globals.yml. */
  kollaGlobals: Record<string, unknown>;
  inventory: Inventory;
  /** The checkout's requirements.txt (kayobe and its dependencies), when it has one. */
  requirements?: string;
}

/** The kayobe variables the plan and the release's rules read, as name patterns: nothing else is asked. */
export const KAYOBE_VARIABLES = [
  "openstack_release",
  "openstack_release_codename",
  "os_distribution",
  "kolla_enable_.*",
  "ipa_build_images",
  "stackhpc_pulp_sync_for_local_container_build",
  "stackhpc_pulp_.*_version",
  "kolla_image_tags",
  "kolla_neutron_ml2_mechanism_drivers",
  "kolla_neutron_ml2_generic_switches",
] as const;

/** The kolla globals they read; the rest of the rendered globals is not kept. */
export const KOLLA_GLOBALS = [
  "om_enable_rabbitmq_quorum_queues",
  "om_enable_rabbitmq_high_availability",
  "octavia_provider_drivers",
  "ironic_upgrade_skip_wait_check",
  "enable_heat",
  "designate_enable_notifications_sink",
  "neutron_dns_integration",
  "neutron_dns_domain",
  "grafana_remove_old_volume",
  ".*_tag",
] as const;

/** Which of the stack's kayobe-configs to read, with which kayobe, and the settings that name them. */
export interface ConfigAt {
  configPath: string;
  /** The setting to fix when the config cannot be read. */
  key: "kayobeConfigPath" | "sourceConfigRef";
  /** A kayobe of the config's release: another's defaults (openstack_release among them) are not the config's. */
  kayobeBin: string;
  kayobeKey: "preflightKayobeBin" | "sourcePreflightKayobeBin";
  /** Its cache file in the stack's scratch folder. */
  cache: string;
}

/**
 * Reads a kayobe-config by asking a kayobe (one `kayobe configuration dump`, about two
 * seconds), cached in the stack's scratch folder until a file of the checkout, the
 * kayobe, the environment or the vault password changes. Throws ConfigError on bad
 * input, naming the key to fix.
 */
export function readKayobeConfig(config: StackConfig, vaultPassword: string, at: ConfigAt): KayobeConfig {
  const { stack, environment } = config;
  const { configPath, kayobeBin } = at;
  if (!isDirectory(configPath)) {
    throw new ConfigError(stack, `kayobe-upgrade:${at.key}`, `expected the etc/kayobe folder of a kayobe-config checkout, but ${configPath} is not a folder`);
  }
  if (environment !== undefined && !isDirectory(path.join(configPath, "environments", environment))) {
    throw new ConfigError(stack, "kayobe-upgrade:environment", `expected a kayobe environment, but ${path.join(configPath, "environments", environment)} does not exist (environments there: ${listEnvironments(configPath)})`);
  }
  const checkout = checkoutOf(configPath);
  const env = readKayobeEnv(checkout, configPath, environment);
  if (typeof env === "string") throw new ConfigError(stack, "kayobe-upgrade:environment", `the kayobe-config's own kayobe-env refused it: ${env}`);
  const kayobeEnv = { ...env.vars, ...config.kayobeEnv };
  // Sorted: the engine gives the stack's kayobeEnv sorted, its stack file (read by the
  // reports) in the file's order, and one must not throw away the other's cache.
  const sortedEnv = Object.entries(kayobeEnv).sort(([a], [b]) => (a < b ? -1 : 1));
  const key = createHash("sha256")
    .update(JSON.stringify([kayobeBin, fileStamp(kayobeBin), environment, sortedEnv, KAYOBE_VARIABLES, KOLLA_GLOBALS]))
    .update(createHash("sha256").update(vaultPassword).digest("hex"));
  // kayobe writes the kolla config (KOLLA_CONFIG_PATH, inside StackHPC's checkouts): output, not input.
  const output = kayobeEnv.KOLLA_CONFIG_PATH === undefined ? [] : [kayobeEnv.KOLLA_CONFIG_PATH];
  const evaluated = cached(path.join(config.workDir, at.cache), treeDigest(checkout, output, key), () => {
    try {
      return kept(configurationDump(kayobeBin, kayobeProcessEnv({ kayobeBin, kayobeConfigPath: configPath, environment, kayobeEnv }, vaultPassword), checkout, KAYOBE_VARIABLES));
    } catch (err) {
      if (!(err instanceof DumpFailed)) throw err;
      // A vault file the password does not open: the password is what to check first.
      const setting = /Decryption failed/.test(err.message) ? "kayobe-upgrade:vaultPassword" : `kayobe-upgrade:${at.key}`;
      throw new ConfigError(stack, setting, `${err.message} (kayobe: ${kayobeBin}, kayobe-upgrade:${at.kayobeKey})`);
    }
  });
  const requirementsFile = path.join(checkout, "requirements.txt");
  const requirements = isFile(requirementsFile) ? fs.readFileSync(requirementsFile, "utf8") : undefined;
  return { configPath, environment, checkout, env, evaluatedBy: kayobeBin, vars: evaluated.vars, kollaGlobals: evaluated.kollaGlobals, inventory: evaluated.groups, requirements };
}

/** Only what the plan reads is kept (and cached): the rendered globals may hold more than it needs to know. */
function kept(evaluated: Evaluated): Evaluated {
  const wanted = new RegExp(`^(${KOLLA_GLOBALS.join("|")})$`);
  return { ...evaluated, kollaGlobals: Object.fromEntries(Object.entries(evaluated.kollaGlobals).filter(([name]) => wanted.test(name))) };
}

/** The kayobe-config checkout holding an etc/kayobe folder. */
export function checkoutOf(configPath: string): string {
  return path.resolve(configPath, "..", "..");
}

/** Changes when the executable is replaced or reinstalled. */
function fileStamp(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat === undefined ? "on PATH" : `${fs.realpathSync(file)} ${stat.size} ${stat.mtimeMs}`;
}

function listEnvironments(configPath: string): string {
  const dir = path.join(configPath, "environments");
  const names = isDirectory(dir) ? fs.readdirSync(dir).filter((name) => isDirectory(path.join(dir, name))) : [];
  return names.length > 0 ? names.join(", ") : "none";
}

function isDirectory(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}
