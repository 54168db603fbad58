// The wait between hosts: an until-healthy command's checks, tried until all pass in one
// attempt or the attempts run out.
import type { HealthCheck, UntilHealthy } from "../runbook/phases";

/** How a check ended: it passes when it exits 0. */
export interface CheckRun {
  exitCode: number;
  output: string;
}

export type HealthVerdict = { decision: string } | { refusal: string; output: string };

const pause = (seconds: number) => new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000));

/**
 * Runs the checks in order, an attempt ending at the first that fails; `note` is told
 * each failed attempt. The verdict names the last check that failed and its output.
 */
export async function waitUntilHealthy(command: UntilHealthy, runCheck: (check: HealthCheck) => Promise<CheckRun>, note: (line: string) => void, wait = pause): Promise<HealthVerdict> {
  let last: { check: HealthCheck; run: CheckRun } | undefined;
  for (let attempt = 1; attempt <= command.attempts; attempt++) {
    if (attempt > 1) await wait(command.intervalSeconds);
    last = undefined;
    for (const check of command.checks) {
      const run = await runCheck(check);
      if (run.exitCode !== 0) {
        last = { check, run };
        break;
      }
    }
    if (last === undefined) return { decision: `healthy after ${command.host}'s update${attempt > 1 ? ` (attempt ${attempt} of ${command.attempts})` : ""}` };
    note(`${command.host}: check "${last.check.name}" failed, attempt ${attempt} of ${command.attempts}`);
  }
  const { check, run } = last!;
  return {
    refusal: `the cloud is not healthy after ${command.host}'s update: check "${check.name}" still failed (exit code ${run.exitCode}) after ${command.attempts} attempts ${command.intervalSeconds}s apart, so no other host is touched; see to ${command.host}, then up again (kayobe-upgrade:hostHealthAttempts and hostHealthInterval bound the wait, hostHealthChecks chooses the checks)`,
    output: run.output,
  };
}
