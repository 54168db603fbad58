import * as assert from "assert";
import { Progress } from "../../resources/executor/progress";

function progress(lines = 3, windowMs = 1000) {
  const clock = { now: 0 };
  const shown: string[] = [];
  const p = new Progress("seed-service-upgrade", (line) => shown.push(line), { lines, windowMs, now: () => clock.now });
  return { p, shown, clock };
}

describe("progress on the operator's terminal", () => {
  it("shows whole lines, prefixed by the milestone, a line split across chunks once", () => {
    const { p, shown } = progress();
    p.announce("kayobe seed service upgrade");
    p.write("PLAY [Upgrade seed] ***\nTASK [bifr");
    p.write("ost : Deploy] ***\r\nok: [seed]");
    p.end();
    assert.deepStrictEqual(shown, [
      "[seed-service-upgrade] $ kayobe seed service upgrade",
      "[seed-service-upgrade] PLAY [Upgrade seed] ***",
      "[seed-service-upgrade] TASK [bifrost : Deploy] ***",
      "[seed-service-upgrade] ok: [seed]",
    ]);
  });

  it("shows at most its budget of lines per window, then says how many it held back", () => {
    const { p, shown, clock } = progress(3, 1000);
    p.write("1\n2\n3\n4\n5\n");
    clock.now = 999;
    p.write("6\n");
    clock.now = 1000;
    p.write("7\n8\n9\n10\n");
    p.end();
    assert.deepStrictEqual(shown.map((line) => line.replace("[seed-service-upgrade] ", "")), ["1", "2", "3", "(3 more lines in the log)", "7", "8", "9", "(1 more lines in the log)"]);
  });
});
