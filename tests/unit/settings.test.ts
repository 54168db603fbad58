import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { closestOf, SETTINGS, settingsOf, settingsTable } from "../../resources/config/settings";
import { PROJECT } from "./fixtures";

const README = path.join(PROJECT, "README.md");

describe("the settings' declaration", () => {
  it("is the README's table of keys", () => {
    const readme = fs.readFileSync(README, "utf8");
    const table = /<!-- settings: [^\n]*-->\n([\s\S]*?)<!-- end of settings -->/.exec(readme)?.[1];
    assert.strictEqual(table, settingsTable(), "README.md's table of keys differs from resources/config/settings.ts: paste settingsTable() between its markers");
  });

  it("keeps the settings of the stack's namespace and leaves other namespaces alone", () => {
    const settings = settingsOf("prod", { "kayobe-upgrade:stage": { value: "production", secret: false }, "aws:region": { value: "x", secret: false } });
    assert.deepStrictEqual(settings, { stage: { value: "production", secret: false } });
  });

  const typos: [string, string][] = [
    ["stag", "stage"],
    ["vipHots", "vipHost"],
    ["kayobebin", "kayobeBin"],
    ["maintenanceWindows", "maintenanceWindow"],
    ["valutPassword", "vaultPassword"],
    ["smoketest", "smokeTests"],
  ];
  for (const [typo, meant] of typos) {
    it(`refuses kayobe-upgrade:${typo}, suggesting ${meant}`, () => {
      assert.throws(() => settingsOf("prod", { [`kayobe-upgrade:${typo}`]: { value: "x", secret: false } }), {
        name: "ConfigError",
        message: `stack "prod": kayobe-upgrade:${typo}: is not a setting of this project (did you mean kayobe-upgrade:${meant}?); remove it (bin/pulumi config rm kayobe-upgrade:${typo} --stack prod) and set the one meant; the README lists the settings`,
      });
    });
  }

  it("refuses an unknown key with nothing near it, without a suggestion", () => {
    assert.throws(() => settingsOf("prod", { "kayobe-upgrade:colour": { value: "blue", secret: true } }), {
      message: 'stack "prod": kayobe-upgrade:colour: is not a setting of this project; remove it (bin/pulumi config rm kayobe-upgrade:colour --stack prod) and set the one meant; the README lists the settings',
    });
  });

  it("suggests only a name near enough", () => {
    assert.strictEqual(closestOf("prodution", ["production", "staging"]), "production");
    assert.strictEqual(closestOf("qa", ["production", "staging"]), undefined);
  });

  it("declares the secrets as secrets", () => {
    const secrets = Object.entries(SETTINGS).filter(([, s]) => "secret" in s).map(([name]) => name);
    assert.deepStrictEqual(secrets, ["vaultPassword", "kayobeSecretEnv", "seedSshPrivateKey"]);
  });
});
