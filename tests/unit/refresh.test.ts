import * as assert from "assert";
import { renderRecheck } from "../../resources/report/refresh";

const checkout = (commit: string, clean = true) => ({ path: "/srv/kayobe-config", commit, branch: "stackhpc/2024.1", clean });

describe("what refresh re-checks", () => {
  it("says nothing changed when the checkout, the release and every step's goal are as recorded", () => {
    assert.deepStrictEqual(renderRecheck({ stack: "site", recorded: checkout("a".repeat(40)), now: { ...checkout("a".repeat(40)), changes: [] }, release: "2024.1", reached: ["2024.1"], changedGoals: [], recordedSteps: 48 }), [
      'kayobe-upgrade: refresh re-checked stack "site":',
      "  kayobe-config: unchanged, commit aaaaaaaaaaaa on stackhpc/2024.1, clean",
      "  release: kayobe evaluates 2024.1, as the recorded steps reached",
      "  48 recorded steps: each still matches the plan",
      "  nothing changed",
      "  no step was run or undone: the state keeps what was done",
    ]);
  });

  it("names a new commit, another release and the steps that would run again", () => {
    const lines = renderRecheck({
      stack: "site",
      recorded: checkout("a".repeat(40)),
      now: { ...checkout("b".repeat(40), false), changes: [" M etc/kayobe/kolla-image-tags.yml"] },
      release: "2025.1",
      reached: ["2024.1"],
      changedGoals: ["container-image-pull", "overcloud-service-upgrade"],
      recordedSteps: 48,
    });
    assert.deepStrictEqual(lines.slice(1, -1), [
      "  kayobe-config: CHANGED from commit aaaaaaaaaaaa on stackhpc/2024.1, clean (/srv/kayobe-config)",
      "    to commit bbbbbbbbbbbb on stackhpc/2024.1, with uncommitted changes (/srv/kayobe-config)",
      "  release: CHANGED: kayobe evaluates 2025.1; recorded steps reached 2024.1",
      "  2 of 48 recorded steps no longer match the plan, and run again at the next up:",
      "    container-image-pull",
      "    overcloud-service-upgrade",
      "  changed: the kayobe-config, the release, steps' goals",
    ]);
  });
});
