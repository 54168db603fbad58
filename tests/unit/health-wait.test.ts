import * as assert from "assert";
import { waitUntilHealthy } from "../../resources/executor/health-wait";
import type { HealthCheck, UntilHealthy } from "../../resources/runbook/phases";

const checks: HealthCheck[] = [
  { name: "containers", argv: ["kayobe", "containers"] },
  { name: "mariadb", argv: ["kayobe", "mariadb"] },
  { name: "alerts", argv: ["no-alerts"] },
];
const command: UntilHealthy = { kind: "until-healthy", host: "ctl-02", checks, attempts: 3, intervalSeconds: 20 };

/** Runs the wait against checks that fail while `failing` says so, recording what ran, each wait and each note. */
async function wait(failing: (name: string, call: number) => boolean) {
  const ran: string[] = [];
  const notes: string[] = [];
  const waits: number[] = [];
  const verdict = await waitUntilHealthy(
    command,
    async (check) => {
      ran.push(check.name);
      return failing(check.name, ran.length) ? { exitCode: 2, output: `${check.name} is down` } : { exitCode: 0, output: "" };
    },
    (line) => notes.push(line),
    async (seconds) => void waits.push(seconds),
  );
  return { verdict, ran, notes, waits };
}

describe("the wait for the cloud's health between hosts", () => {
  it("passes at once when every check passes", async () => {
    assert.deepStrictEqual(await wait(() => false), { verdict: { decision: "healthy after ctl-02's update" }, ran: ["containers", "mariadb", "alerts"], notes: [], waits: [] });
  });

  it("tries again, the interval apart, until every check passes in one attempt", async () => {
    // The MariaDB cluster is short of a node at the first attempt, the alerts still fire at the second.
    const result = await wait((name, call) => (name === "mariadb" && call === 2) || (name === "alerts" && call === 5));
    assert.deepStrictEqual(result, {
      verdict: { decision: "healthy after ctl-02's update (attempt 3 of 3)" },
      ran: ["containers", "mariadb", "containers", "mariadb", "alerts", "containers", "mariadb", "alerts"],
      notes: ['ctl-02: check "mariadb" failed, attempt 1 of 3', 'ctl-02: check "alerts" failed, attempt 2 of 3'],
      waits: [20, 20],
    });
  });

  it("stops after the last attempt, naming the check that still failed, the host, and that check's output", async () => {
    const { verdict, ran, waits } = await wait((name) => name === "containers");
    assert.deepStrictEqual(ran, ["containers", "containers", "containers"]);
    assert.deepStrictEqual(waits, [20, 20]);
    assert.deepStrictEqual(verdict, {
      refusal:
        "the cloud is not healthy after ctl-02's update: check \"containers\" still failed (exit code 2) after 3 attempts 20s apart, so no other host is touched; see to ctl-02, then up again (kayobe-upgrade:hostHealthAttempts and hostHealthInterval bound the wait, hostHealthChecks chooses the checks)",
      output: "containers is down",
    });
  });
});
