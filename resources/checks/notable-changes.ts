import * as fs from "fs";
import * as path from "path";
import { KayobeConfig } from "../config/kayobe-config";
import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";
import { Series } from "../runbook/releases";
import { RULES_2024_1 } from "./rules/2024.1";

/** What a rule may read of a kayobe-config: its variables and its custom kolla config files. */
export interface RuleInput {
  vars: Record<string, unknown>;
  kollaGlobals: Record<string, unknown>;
  /** Files under kolla/config/<service>/ in the base config and the environment, relative to $KAYOBE_CONFIG_PATH. */
  kollaConfigFiles(service: string): { file: string; text: string }[];
}

/**
 * One notable change or known issue of a release, as the runbook words it ("Notable
 * changes in the ... Release", "Known issues"). A blocking rule stops preview until the
 * kayobe-config satisfies it or the stack acknowledges it; a warning is only shown.
 */
export interface Rule {
  id: string;
  /** The runbook's heading. */
  title: string;
  severity: "blocking" | "warning";
  /** Whether the change concerns this deployment at all. */
  applies(input: RuleInput): boolean;
  /** Where and what is wrong (file and variable named), or undefined when satisfied. */
  violation(input: RuleInput): string | undefined;
  /** The runbook's own advice. */
  advice: string;
}

/** The rules of each target release; a release without notable changes has none. */
const RULES: Partial<Record<Series, Rule[]>> = { "2024.1": RULES_2024_1 };

export function rulesFor(series: Series): Rule[] {
  return RULES[series] ?? [];
}

export type Outcome = "satisfied" | "not applicable" | "warning" | "acknowledged" | "blocking";

export interface Finding {
  rule: string;
  outcome: Outcome;
  /** What was checked and, when broken, what is wrong and the runbook's advice. */
  message: string;
}

/** Checks the kayobe-config against the target release's notable changes. Reads files only. */
export function checkNotableChanges(config: StackConfig, kayobe: KayobeConfig): Finding[] {
  const input = ruleInput(kayobe);
  const rules = rulesFor(config.targetRelease);
  const unknown = config.safety.acknowledgedChanges.find((id) => !rules.some((rule) => rule.id === id));
  if (unknown !== undefined) {
    throw new ConfigError(config.stack, "kayobe-upgrade:acknowledgedChanges", `"${unknown}" is not a rule of ${config.targetRelease}; expected among ${rules.map((r) => r.id).join(", ") || "none"}`);
  }
  return rules.map((rule) => {
    const heading = `${config.targetRelease} notable change "${rule.id}" (${rule.title})`;
    if (!rule.applies(input)) return { rule: rule.id, outcome: "not applicable", message: `${heading}: does not concern this deployment` };
    const violation = rule.violation(input);
    if (violation === undefined) return { rule: rule.id, outcome: "satisfied", message: `${heading}: satisfied` };
    const acknowledged = config.safety.acknowledgedChanges.includes(rule.id);
    const outcome: Outcome = rule.severity === "warning" ? "warning" : acknowledged ? "acknowledged" : "blocking";
    const note = outcome === "acknowledged" ? " (acknowledged in kayobe-upgrade:acknowledgedChanges)" : "";
    return { rule: rule.id, outcome, message: `${heading}: ${violation}. The runbook: ${rule.advice}${note}` };
  });
}

/** Refuses the upgrade when a blocking rule is broken, naming each one and what to do. */
export function refuseBlockingChanges(config: StackConfig, findings: Finding[]): void {
  const blocking = findings.filter((f) => f.outcome === "blocking");
  if (blocking.length === 0) return;
  throw new ConfigError(
    config.stack,
    "kayobe-upgrade:kayobeConfigPath",
    `the kayobe-config at ${config.kayobeConfigPath} breaks ${blocking.length} blocking rule(s) of ${config.targetRelease}:\n` +
      blocking.map((f) => `- ${f.message}`).join("\n") +
      `\nFix the kayobe-config, or, where it is handled another way, list the rule in kayobe-upgrade:acknowledgedChanges.`,
  );
}

function ruleInput(kayobe: KayobeConfig): RuleInput {
  const layers = [kayobe.configPath, ...(kayobe.environment === undefined ? [] : [path.join(kayobe.configPath, "environments", kayobe.environment)])];
  return {
    vars: kayobe.vars,
    kollaGlobals: kayobe.kollaGlobals,
    kollaConfigFiles: (service) =>
      layers.flatMap((layer) => {
        const dir = path.join(layer, "kolla", "config", service);
        const names = fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? fs.readdirSync(dir).sort() : [];
        return names
          .map((name) => path.join(dir, name))
          .filter((file) => fs.statSync(file).isFile())
          .map((file) => ({ file: path.relative(kayobe.configPath, file), text: fs.readFileSync(file, "utf8") }));
      }),
  };
}
