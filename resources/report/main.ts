// `scripts/plan.sh STACK`: writes the stack's upgrade plan (Markdown) and a picture of its
// graph (SVG) from the stack's config and state, read through bin/pulumi.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { readSides } from "../config/sides";
import { parseStackConfig } from "../config/stack-config";
import { readStackFile, readVaultPassword } from "../config/stack-file";
import { ConfigError } from "../errors";
import { stackPlan } from "../runbook/stack-plan";
import { renderGraphSvg } from "./graph-svg";
import { renderPlanDocument } from "./plan-document";
import { milestoneStatuses, recordedMilestones } from "./state";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

function pulumi(args: string[]): string {
  const result = spawnSync(path.join(PROJECT_ROOT, "bin", "pulumi"), [...args, "--non-interactive"], { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`bin/pulumi ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

function main(stack: string | undefined): void {
  if (stack === undefined) throw new Error("usage: scripts/plan.sh STACK");
  const config = parseStackConfig(stack, readStackFile(PROJECT_ROOT, stack), PROJECT_ROOT);
  // The vault password first: it says how to create a stack that is not on the backend.
  const sides = readSides(config, readVaultPassword(PROJECT_ROOT, stack));
  const exported = pulumi(["stack", "export", "--stack", stack]);
  const plan = stackPlan(config, sides, [...recordedMilestones(exported).keys()]);
  const statuses = milestoneStatuses(plan, config.targetRelease, exported, PROJECT_ROOT);
  fs.mkdirSync(config.workDir, { recursive: true });
  const document = path.join(config.workDir, "upgrade-plan.md");
  const picture = path.join(config.workDir, "upgrade-graph.svg");
  const from = { source: { release: sides.releases.source, configPath: sides.source.configPath }, target: { release: sides.releases.target, configPath: sides.target.configPath } };
  fs.writeFileSync(document, renderPlanDocument(config, from, plan, statuses, new Date().toISOString()));
  fs.writeFileSync(picture, renderGraphSvg(`Upgrade of ${stack} to ${config.targetRelease}`, plan, statuses));
  console.log(`${document}\n${picture}`);
}

try {
  main(process.argv[2]);
} catch (err) {
  // A ConfigError says what to fix; a stack trace would bury it. Anything else is a bug: its trace shows.
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(2);
}
