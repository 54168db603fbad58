import * as assert from "assert";
import { criticalPath } from "../../bench/critical-path";
import { gapsBetweenSteps } from "../../bench/gaps";
import { inventoryHosts, overcloudGroups } from "../../bench/inventory";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REAL_KAYOBE } from "./fixtures";

describe("benchmark inventory", () => {
  it("has 3 controllers, a storage host per 20 overcloud hosts and the rest hypervisors", () => {
    for (const size of [5, 10, 100, 1000]) {
      const groups = overcloudGroups(size);
      assert.strictEqual(groups.controllers.length, 3);
      assert.strictEqual(groups.storage.length, Math.max(1, Math.round(size / 20)));
      assert.strictEqual(groups.controllers.length + groups.storage.length + groups.compute.length, size);
    }
  });

  it("is an INI inventory Ansible reads back as generated", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-inventory-")), "hosts");
    fs.writeFileSync(file, inventoryHosts(100));
    const listed = spawnSync(path.join(path.dirname(REAL_KAYOBE), "ansible-inventory"), ["-i", file, "--list"], { encoding: "utf8" });
    assert.strictEqual(listed.status, 0, listed.stderr);
    const parsed = JSON.parse(listed.stdout) as Record<string, { hosts?: string[] }>;
    for (const [group, hosts] of Object.entries(overcloudGroups(100))) assert.deepStrictEqual(parsed[group].hosts, hosts);
  });

  it("refuses a cloud too small for 3 controllers, storage and a hypervisor", () => {
    assert.throws(() => overcloudGroups(4), /at least 5, got 4/);
  });
});

describe("critical path", () => {
  const diamond = [
    { name: "a", dependsOn: [], seconds: 1 },
    { name: "b", dependsOn: ["a"], seconds: 5 },
    { name: "c", dependsOn: ["a"], seconds: 2 },
    { name: "d", dependsOn: ["b", "c"], seconds: 1 },
  ];

  it("is the longest path by summed durations when slots suffice", () => {
    assert.strictEqual(criticalPath(diamond, 8), 7);
  });

  it("is the sum of the durations with one slot", () => {
    assert.strictEqual(criticalPath(diamond, 1), 9);
  });

  it("waits for a free slot", () => {
    const wide = [1, 2, 3].map((i) => ({ name: `s${i}`, dependsOn: [], seconds: 2 }));
    assert.strictEqual(criticalPath(wide, 2), 4);
  });

  it("refuses a step waiting for an unknown step", () => {
    assert.throws(() => criticalPath([{ name: "a", dependsOn: ["x"], seconds: 1 }], 2), /unknown or cyclic steps: a/);
  });
});

describe("gaps between steps", () => {
  it("is the time from one step's last command to the next one's first, in the order they ran", () => {
    const second = [{ start: 130, end: 160 }, { start: 165, end: 200 }];
    const first = [{ start: 0, end: 50 }, { start: 60, end: 100 }];
    assert.deepStrictEqual(gapsBetweenSteps([second, [{ start: 240, end: 250 }], first]), [30, 40]);
  });

  it("counts no gap for a step that started before the last one ended, and skips steps without commands", () => {
    assert.deepStrictEqual(gapsBetweenSteps([[{ start: 0, end: 100 }], [], [{ start: 50, end: 60 }], [{ start: 110, end: 120 }]]), [0, 10]);
  });
});
