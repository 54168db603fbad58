import * as assert from "assert";
import { fit, Progress, WIDTH, wrap } from "../../resources/executor/progress";

function progress(lines = 3, windowMs = 1000) {
  const clock = { now: 0 };
  const shown: string[] = [];
  const p = new Progress({ milestone: "seed-service-upgrade", position: "12/57", title: "Upgrade the seed's services" }, (line) => shown.push(line), { lines, windowMs, now: () => clock.now });
  return { p, shown, clock };
}

const LOG = "/var/lib/kayobe-upgrade/site-production/logs/seed-service-upgrade.2026-11-28T20-14-03-123Z.log";
const COMMAND = 'kayobe overcloud host command run -l controllers -b --command "docker exec rabbitmq rabbitmqctl --version | grep -F 3.11." --show-output';

describe("progress on the operator's terminal", () => {
  it("starts a step with its position, name and log, each command whole, within 80 columns", () => {
    const { p, shown } = progress();
    p.start(LOG);
    p.announce(COMMAND);
    assert.deepStrictEqual(shown, [
      "[12/57] seed-service-upgrade: Upgrade the seed's services",
      "[12/57] log /var/lib/kayobe-upgrade/site-production/logs/",
      "[12/57]     seed-service-upgrade.2026-11-28T20-14-03-123Z.log",
      '[12/57] $ kayobe overcloud host command run -l controllers -b --command "docker ',
      "[12/57]     exec rabbitmq rabbitmqctl --version | grep -F 3.11.\" --show-output",
    ]);
    assert.ok(shown.every((line) => line.length <= WIDTH));
  });

  it("loses nothing of a wrapped text: its lines' text joined is the text", () => {
    for (const text of [COMMAND, `log ${LOG}`, "x".repeat(300), "short"]) {
      const lines = wrap("[1/9] ", text);
      assert.ok(lines.every((line) => line.length <= WIDTH), text);
      assert.strictEqual(lines.map((line, i) => line.slice(i === 0 ? 6 : 10)).join(""), text);
    }
  });

  it("shows the latest lines of each window, after how many came before them, cut at 80 columns", () => {
    const { p, shown, clock } = progress(3, 1000);
    p.write("1\n2\n3\n4\n");
    clock.now = 999;
    p.write("5\n6\n");
    clock.now = 1000;
    p.write(`7\n${"y".repeat(100)}\n`);
    clock.now = 1500;
    p.write("9\n\n  \nla");
    p.write("st\r\n");
    p.end();
    assert.deepStrictEqual(shown, [
      "[12/57]   1",
      "[12/57]   (3 lines before these are in the log)",
      "[12/57]   5",
      "[12/57]   6",
      "[12/57]   7",
      `[12/57]   ${"y".repeat(69)}…`,
      "[12/57]   9",
      "[12/57]   last",
    ]);
    assert.strictEqual(fit("z".repeat(81)).length, WIDTH);
  });

  it("squeezes ansible's alignment and rules so that a recap's counts fit", () => {
    const { p, shown } = progress();
    p.write("PLAY RECAP *********************************************************************\n");
    p.write("stg-ctl-01                 : ok=1    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0\n");
    p.end();
    assert.deepStrictEqual(shown, ["[12/57]   PLAY RECAP ***", "[12/57]   stg-ctl-01 : ok=1 changed=0 unreachable=0 failed=1 skipped=0 rescued=…"]);
  });

  it("flushes the tail when the window closes although no line came", () => {
    const { p, shown, clock } = progress(3, 1000);
    p.write("a\nb\n");
    assert.deepStrictEqual(shown, ["[12/57]   a"]);
    clock.now = 1000;
    p.flush();
    assert.deepStrictEqual(shown, ["[12/57]   a", "[12/57]   b"]);
  });

  it("ends a step with its duration", () => {
    const { p, shown } = progress();
    p.finish(true, 192.4);
    p.finish(false, 3 * 3600 + 5 * 60);
    assert.deepStrictEqual(shown, ["[12/57] seed-service-upgrade done in 3m 12s", "[12/57] seed-service-upgrade FAILED after 3h 05m"]);
  });
});
