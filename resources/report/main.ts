// `scripts/plan.sh STACK`: writes the stack's upgrade plan (Markdown) and a picture of its
// graph (SVG) from the stack's config and state, read through bin/pulumi.
import * as fs from "fs";
import * as path from "path";
import { renderGraphSvg } from "./graph-svg";
import { renderPlanDocument } from "./plan-document";
import { runReport } from "./run-report";
import { viewStack } from "./stack-view";

runReport((stack) => {
  if (stack === undefined) throw new Error("usage: scripts/plan.sh STACK");
  const { config, sides, plan, statuses } = viewStack(stack);
  fs.mkdirSync(config.workDir, { recursive: true });
  const document = path.join(config.workDir, "upgrade-plan.md");
  const picture = path.join(config.workDir, "upgrade-graph.svg");
  const from = { source: { release: sides.releases.source, configPath: sides.source.configPath }, target: { release: sides.releases.target, configPath: sides.target.configPath } };
  fs.writeFileSync(document, renderPlanDocument(config, from, plan, statuses, new Date().toISOString()));
  fs.writeFileSync(picture, renderGraphSvg(`Upgrade of ${stack} to ${config.targetRelease}`, plan, statuses));
  console.log(`${document}\n${picture}`);
});
