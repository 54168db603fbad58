import * as assert from "assert";
import { parseInventory } from "../../resources/config/inventory";

describe("inventory", () => {
  it("resolves hosts and nested children across files, ignoring vars and comments", () => {
    const groups = parseInventory([
      "[controllers]\n[network:children]\ncontrollers\n[overcloud:children]\ncontrollers\nnetwork\ncompute\n",
      "# site\n[controllers]\nctl-01 ansible_host=10.0.0.1\nctl-02 ; spare\n[compute]\ncmp-01\n[compute:vars]\nfoo=bar\n",
    ]);
    assert.deepStrictEqual(groups.controllers, ["ctl-01", "ctl-02"]);
    assert.deepStrictEqual(groups.network, ["ctl-01", "ctl-02"]);
    assert.deepStrictEqual(groups.overcloud, ["ctl-01", "ctl-02", "cmp-01"]);
    assert.deepStrictEqual(groups.all, ["ctl-01", "ctl-02", "cmp-01"]);
    assert.strictEqual(groups["compute:vars"], undefined);
  });

  it("survives a group that is its own descendant", () => {
    assert.deepStrictEqual(parseInventory(["[a:children]\nb\n[b:children]\na\n[b]\nh1\n"]).a, ["h1"]);
  });
});
