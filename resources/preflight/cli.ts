// `bash scripts/preflight.sh [stack]`: the preflight's report without Pulumi. Exits 1
// when a command of the plan is not accepted, 2 on bad input.
import * as path from "path";
import { refuseOptionLikeValues } from "../checks/command-line";
import { readSides } from "../config/sides";
import { checkPaths } from "../config/paths";
import { parseStackConfig } from "../config/stack-config";
import { recordDir } from "../config/record";
import { readStackFile, readVaultPassword } from "../config/stack-file";
import { ConfigError } from "../errors";
import { planUpgrade } from "../runbook/plan";
import { checkPlan, formatReport } from "./check-commands";
import { checkPreflightKayobe, preflightCommands } from "./preflight-step";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

function main(stack: string): number {
  try {
    const config = parseStackConfig(stack, readStackFile(PROJECT_ROOT, stack), PROJECT_ROOT, recordDir());
    checkPaths(config);
    const sides = readSides(config, readVaultPassword(PROJECT_ROOT, stack));
    const plan = planUpgrade(config, sides.target, sides.source);
    checkPreflightKayobe(config);
    refuseOptionLikeValues(config, plan);
    const reports = preflightCommands(config, sides, plan).map((preflight) => ({ preflight, report: checkPlan(preflight) }));
    for (const { preflight, report } of reports) console.log(`stack "${stack}", ${preflight.side} release ${preflight.release}: ${formatReport(report)}`);
    return reports.some(({ report }) => report.mismatches.length > 0) ? 1 : 0;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    return 2;
  }
}

process.exitCode = main(process.argv[2] ?? "staging");
