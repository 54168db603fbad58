// `bin/status [STACK] [--json]`: where the stack's upgrade stands, read from its state.
import { processAlive, readSteps } from "../executor/step-record";
import { runReport } from "./run-report";
import { pulumi, viewStack } from "./stack-view";
import { renderStatus, stackStatus } from "./status";

runReport((named, flags) => {
  const unknown = flags.filter((flag) => flag !== "--json");
  if (unknown.length > 0) throw new Error(`usage: bin/status [STACK] [--json] (unknown: ${unknown.join(" ")})`);
  const stack = named ?? pulumi(["stack", "--show-name"]).trim();
  const { config, plan, statuses } = viewStack(stack);
  const status = stackStatus(stack, config.targetRelease, plan, statuses, readSteps(config.logDir), processAlive);
  console.log(flags.includes("--json") ? JSON.stringify(status, null, 2) : renderStatus(status, new Date()).join("\n"));
});
