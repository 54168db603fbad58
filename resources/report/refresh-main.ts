// `bin/pulumi refresh` runs this first (resources/report/refresh.ts).
import { readCheckout } from "../checks/checkout";
import { recordedDurations } from "./estimate";
import { renderRecheck } from "./refresh";
import { runReport } from "./run-report";
import { pulumi, viewStack } from "./stack-view";

runReport((stack) => {
  if (stack === undefined) throw new Error("usage: refresh-main.ts STACK");
  const { config, sides, plan, statuses, recorded: records } = viewStack(stack);
  const outputs = JSON.parse(pulumi(["stack", "output", "--json", "--stack", stack]) || "{}") as { kayobeConfig?: Parameters<typeof renderRecheck>[0]["recorded"] };
  const recorded = [...records.values()];
  const recordedNames = new Set(recordedDurations(records).keys());
  console.log(
    renderRecheck({
      stack,
      recorded: outputs.kayobeConfig,
      now: readCheckout(config.kayobeConfigPath),
      release: String(sides.target.vars.openstack_release),
      reached: [...new Set(recorded.flatMap((r) => (r.releaseReached === undefined ? [] : [r.releaseReached])))],
      changedGoals: plan.filter((m) => recordedNames.has(m.name) && statuses.get(m.name)?.state !== "done").map((m) => m.name),
      recordedSteps: recorded.length,
    }).join("\n"),
  );
});
