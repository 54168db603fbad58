import { spawnSync } from "child_process";

/** What kayobe says of a kayobe-config, as it evaluates it for the control host. */
export interface Evaluated {
  /** The variables asked for, rendered (vault files decrypted, Jinja evaluated, defaults applied). */
  vars: Record<string, unknown>;
  /** Inventory groups and their hosts, as Ansible reads kayobe's inventories (ranges expanded, every file, INI or YAML). */
  groups: Record<string, string[]>;
  /** kolla/globals.yml of the base config and the environments, templated with kayobe's variables and merged as kayobe merges them. */
  kollaGlobals: Record<string, unknown>;
}

/** A kayobe call's outcome when it could not answer: what to tell the operator. */
export class DumpFailed extends Error {}

const QUERY_VAR = "kayobe_upgrade_query";

/**
 * The extra variables that make one `kayobe configuration dump` answer everything: the
 * wanted variables, by name pattern, each pattern apart so that one variable kayobe
 * cannot render spoils only its own; the groups (a magic variable; a key named `groups`
 * is not rendered); and the kolla globals rendered as kayobe's kolla-ansible role renders
 * them (merge_yaml: templated, dicts merged, lists replaced) from the base config and each
 * environment kayobe searches.
 */
function query(variables: readonly string[]): string {
  const names = (pattern: string) => `query('varnames', '^(${pattern})$')`;
  return JSON.stringify({
    // kayobe 16 (2024.1) searches environments it depends on; kayobe 14 (2023.1) the one environment.
    kayobe_upgrade_globals_files:
      "{{ ([kayobe_config_path] + (kayobe_env_search_paths if kayobe_env_search_paths is defined else [kayobe_env_config_path])) | unique | map('regex_replace', '$', '/kolla/globals.yml') | select('file') | list }}",
    [QUERY_VAR]: {
      vars: Object.fromEntries(variables.map((pattern) => [pattern, `{{ dict(${names(pattern)} | zip(query('vars', *${names(pattern)}))) }}`])),
      inventory: "{{ groups }}",
      kolla_globals: "{{ query('template', *kayobe_upgrade_globals_files) | map('from_yaml') | map('default', {}, true) | combine(recursive=true) }}",
    },
  });
}

/**
 * Asks kayobe itself: `kayobe configuration dump` for the control host (localhost, the
 * implicit one when the inventory lacks it), offline, delegated to localhost. Its hosts'
 * group_vars may point `ansible_python_interpreter` at a path that exists only on the
 * hosts, so the control host's is the interpreter running Ansible.
 */
export function configurationDump(kayobeBin: string, env: NodeJS.ProcessEnv, cwd: string, variables: readonly string[]): Evaluated {
  // The query goes inline (Ansible reads an -e value starting with `{` as JSON), not in a
  // temporary file that a killed run would leave behind.
  const argv = ["configuration", "dump", "--host", "localhost", "--var-name", QUERY_VAR, "-e", "ansible_python_interpreter={{ ansible_playbook_python }}", "-e", query(variables)];
  const result = spawnSync(kayobeBin, argv, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.error !== undefined) throw new DumpFailed(`could not run ${kayobeBin}: ${result.error.message}`);
  if (result.status !== 0) throw new DumpFailed(`\`${kayobeBin} ${argv.slice(0, 2).join(" ")}\` failed (exit ${result.status}): ${tail(result.stderr || result.stdout)}`);
  return parseDump(result.stdout);
}

/** Checks the dump's shape; kayobe leaves a template it could not render as it was (an undefined variable). */
export function parseDump(stdout: string): Evaluated {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch {
    throw new DumpFailed(`kayobe configuration dump printed no JSON: ${tail(stdout)}`);
  }
  const answer = (value ?? {}) as Record<string, unknown>;
  const unrendered = (what: string) =>
    new DumpFailed(`kayobe could not evaluate ${what}: a variable it uses is undefined for the control host, or a lookup failed (kolla-ansible would fail likewise at \`kayobe overcloud service configuration generate\`)`);
  if (!isMapping(answer.vars)) throw unrendered("the kayobe variables");
  const groups = Object.entries(answer.vars);
  const spoilt = groups.find(([, values]) => !isMapping(values));
  if (spoilt !== undefined) throw unrendered(`the variables named ${spoilt[0]}`);
  const vars: Record<string, unknown> = Object.assign({}, ...groups.map(([, values]) => values));
  const broken = Object.entries(vars).find(([, v]) => typeof v === "string" && /\{\{|\{%/.test(v));
  if (broken !== undefined) throw unrendered(`${broken[0]} (it stays "${String(broken[1])}")`);
  if (!isMapping(answer.inventory)) throw unrendered("the inventory groups");
  if (!isMapping(answer.kolla_globals)) throw unrendered("kolla/globals.yml (the base config's and the environment's, as kayobe renders them)");
  return { vars, groups: answer.inventory as Record<string, string[]>, kollaGlobals: answer.kolla_globals };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * What Ansible said went wrong: kayobe prints the playbook's output as a Python bytes
 * literal, so its lines come unescaped; from the first error on, else the last lines.
 */
function tail(text: string): string {
  const lines = text.replace(/\\n/g, "\n").replace(/\\'/g, "'").trim().split("\n");
  const error = lines.findIndex((line) => /^\s*(ERROR!|fatal: )/.test(line));
  return (error >= 0 ? lines.slice(error, error + 12) : lines.slice(-12)).join("\n");
}
