import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { ConfigError } from "../errors";
import { Inventory, parseInventory } from "./inventory";
import { StackConfig } from "./stack-config";

/**
 * What the upgrade plan needs to know of a kayobe-config: kayobe's variables (every
 * etc/kayobe/*.yml, the environment's files overriding the base ones, as kayobe loads
 * them), the kolla globals, and the inventory's groups.
 */
export interface KayobeConfig {
  configPath: string;
  environment?: string;
  vars: Record<string, unknown>;
  kollaGlobals: Record<string, unknown>;
  inventory: Inventory;
  /** The checkout's requirements.txt (kayobe and its dependencies), when it has one. */
  requirements?: string;
}

/** Reads and checks the kayobe-config a stack points at; throws ConfigError on bad input. */
export function readKayobeConfig(config: StackConfig): KayobeConfig {
  const { stack, kayobeConfigPath: configPath, environment } = config;
  if (!isDirectory(configPath)) {
    throw new ConfigError(stack, "kayobe-upgrade:kayobeConfigPath", `expected the etc/kayobe folder of a kayobe-config checkout, but ${configPath} is not a folder`);
  }
  const layers = [configPath];
  if (environment !== undefined) {
    const envPath = path.join(configPath, "environments", environment);
    if (!isDirectory(envPath)) {
      throw new ConfigError(stack, "kayobe-upgrade:environment", `expected a kayobe environment, but ${envPath} does not exist (environments there: ${listEnvironments(configPath)})`);
    }
    layers.push(envPath);
  }
  const readYaml = (file: string): Record<string, unknown> => parseVarsFile(stack, file);
  const vars = Object.assign({}, ...layers.flatMap((dir) => yamlFiles(dir).map(readYaml)));
  const kollaGlobals = Object.assign({}, ...layers.map((dir) => path.join(dir, "kolla", "globals.yml")).filter(isFile).map(readYaml));

  const inventoryFiles = layers.flatMap((dir) => ["groups", "hosts"].map((name) => path.join(dir, "inventory", name))).filter(isFile);
  if (inventoryFiles.length === 0) {
    throw new ConfigError(stack, "kayobe-upgrade:kayobeConfigPath", `expected an Ansible inventory in ${path.join(configPath, "inventory")}, found none`);
  }
  const inventory = parseInventory(inventoryFiles.map((file) => fs.readFileSync(file, "utf8")));
  const requirementsFile = path.join(checkoutOf(configPath), "requirements.txt");
  const requirements = isFile(requirementsFile) ? fs.readFileSync(requirementsFile, "utf8") : undefined;
  return { configPath, environment, vars, kollaGlobals, inventory, requirements };
}

/** The kayobe-config checkout holding an etc/kayobe folder. */
export function checkoutOf(configPath: string): string {
  return path.resolve(configPath, "..", "..");
}

function parseVarsFile(stack: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(fs.readFileSync(file, "utf8"));
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : "";
    throw new ConfigError(stack, "kayobe-upgrade:kayobeConfigPath", `expected valid YAML in ${file}${where}: ${(err as Error).message.split("\n")[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(stack, "kayobe-upgrade:kayobeConfigPath", `expected a mapping of variables in ${file}`);
  }
  return value as Record<string, unknown>;
}

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".yml") || name.endsWith(".yaml"))
    .sort()
    .map((name) => path.join(dir, name))
    .filter(isFile);
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
