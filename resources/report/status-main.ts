// `bin/status [STACK] [--json]`: where the stack's upgrade stands, read from its state; it
// writes the stack's status page too.
import { wrap } from "../executor/progress";
import { recordedDurations } from "./estimate";
import { referenceDurations, statusOf, writeStatusPage } from "./live-page";
import { runReport } from "./run-report";
import { pulumi, viewStack } from "./stack-view";
import { renderStatus } from "./status";

runReport((named, flags) => {
  const unknown = flags.filter((flag) => flag !== "--json");
  if (unknown.length > 0) throw new Error(`usage: bin/status [STACK] [--json] (unknown: ${unknown.join(" ")})`);
  const view = viewStack(named ?? pulumi(["stack", "--show-name"]).trim());
  const status = statusOf(view, view.statuses, recordedDurations(view.recorded), referenceDurations(view));
  const page = writeStatusPage(view, status);
  console.log(flags.includes("--json") ? JSON.stringify(status, null, 2) : [...renderStatus(status, new Date()), ...wrap("", `status page ${page}`)].join("\n"));
});
