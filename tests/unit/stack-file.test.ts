import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listedStacks, readStackFile } from "../../resources/config/stack-file";
import { parseStackConfig } from "../../resources/config/stack-config";

/** A project folder holding one stack file with `config`. */
function projectWith(stack: string, config: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "stack-file-"));
  fs.writeFileSync(path.join(root, `Pulumi.${stack}.yaml`), `encryptionsalt: v1:x\nconfig:\n${config}`);
  return root;
}

const BASE = '  kayobe-upgrade:kayobeConfigPath: kc/etc/kayobe\n  kayobe-upgrade:targetRelease: "2024.1"\n  kayobe-upgrade:vaultPassword:\n    secure: v1:abc\n';

describe("a stack's settings read from its file, as the helper scripts read them", () => {
  it("takes a value set with --secret, or a map with a part set with --secret --path, as a secret, leaving it encrypted", () => {
    const root = projectWith("site", `${BASE}  kayobe-upgrade:kayobeSecretEnv:\n    OS_PASSWORD:\n      secure: v1:def\n  kayobe-upgrade:seedSshHost: seed\n  kayobe-upgrade:seedSshPrivateKey:\n    secure: v1:ghi\n`);
    const raw = readStackFile(root, "site");
    assert.deepStrictEqual([raw.vaultPassword, raw.kayobeSecretEnv, raw.seedSshPrivateKey], [{ secret: true }, { secret: true }, { secret: true }]);
    const config = parseStackConfig("site", raw, root, path.join(root, "record"));
    assert.deepStrictEqual([config.kayobeSecretEnv, config.seedSsh?.host], [{}, "seed"]);
  });

  it("refuses an unknown key in the file, as the program does", () => {
    const root = projectWith("site", `${BASE}  kayobe-upgrade:stag: production\n`);
    assert.throws(() => readStackFile(root, "site"), { name: "ConfigError", message: /^stack "site": kayobe-upgrade:stag: is not a setting of this project \(did you mean kayobe-upgrade:stage\?\)/ });
  });

  it("refuses a stack with no file, listing those there are", () => {
    const root = projectWith("site", BASE);
    assert.throws(() => readStackFile(root, "sit"), {
      name: "ConfigError",
      message: `stack "sit": Pulumi.sit.yaml: no such stack in ${root}; did you mean site? Stacks: site. A new stack is created with bin/pulumi stack init sit, then bin/pulumi config set ...`,
    });
  });

  it("names the stacks `pulumi stack ls --json` lists, whatever the backend's prefix", () => {
    assert.deepStrictEqual(listedStacks('[{"name":"staging"},{"name":"organization/kayobe-upgrade/production"}]'), ["staging", "production"]);
  });
});
