// `scripts/plan.sh STACK`: writes the stack's upgrade plan (Markdown) and a picture of its
// graph (SVG) from the stack's config and state, read through bin/pulumi.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { readKayobeConfig } from "../config/kayobe-config";
import { NAMESPACE, parseStackConfig, RawStackConfig } from "../config/stack-config";
import { readVaultPassword } from "../config/stack-file";
import { ConfigError } from "../errors";
import { stackPlan } from "../runbook/stack-plan";
import { renderGraphSvg } from "./graph-svg";
import { renderPlanDocument } from "./plan-document";
import { milestoneStatuses } from "./state";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

function pulumi(args: string[]): string {
  const result = spawnSync(path.join(PROJECT_ROOT, "bin", "pulumi"), [...args, "--non-interactive"], { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`bin/pulumi ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

/** The stack's config as the program sees it: strings, structured values as JSON, secrets withheld. */
function stackValues(stack: string): RawStackConfig {
  const entries = JSON.parse(pulumi(["config", "--json", "--stack", stack])) as Record<string, { value?: string; secret: boolean }>;
  const values: Record<string, string | undefined> = {};
  for (const [key, entry] of Object.entries(entries)) {
    if (key.startsWith(`${NAMESPACE}:`)) values[key.slice(NAMESPACE.length + 1)] = entry.secret ? "<secret>" : entry.value;
  }
  const secret = (key: string) => entries[`${NAMESPACE}:${key}`]?.secret === true;
  return { values, vaultPasswordIsSecret: secret("vaultPassword"), seedSshPrivateKeyIsSecret: secret("seedSshPrivateKey") };
}

function main(stack: string | undefined): void {
  if (stack === undefined) throw new Error("usage: scripts/plan.sh STACK");
  const config = parseStackConfig(stack, stackValues(stack), PROJECT_ROOT);
  const plan = stackPlan(config, readKayobeConfig(config, readVaultPassword(PROJECT_ROOT, stack)));
  const statuses = milestoneStatuses(plan, config.targetRelease, pulumi(["stack", "export", "--stack", stack]), PROJECT_ROOT);
  fs.mkdirSync(config.workDir, { recursive: true });
  const document = path.join(config.workDir, "upgrade-plan.md");
  const picture = path.join(config.workDir, "upgrade-graph.svg");
  fs.writeFileSync(document, renderPlanDocument(config, plan, statuses, new Date().toISOString()));
  fs.writeFileSync(picture, renderGraphSvg(`Upgrade of ${stack} to ${config.targetRelease}`, plan, statuses));
  console.log(`${document}\n${picture}`);
}

try {
  main(process.argv[2]);
} catch (err) {
  // A ConfigError says what to fix; a stack trace would bury it.
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err));
  process.exit(1);
}
