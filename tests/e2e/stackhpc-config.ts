// A site's kayobe-config built from the published stackhpc-kayobe-config trees
// (../shared/fixtures/stackhpc-kayobe-config, see its README), unedited, with a site
// environment added and committed on a branch per release, as an operator's checkout is.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REAL_KAYOBE } from "../unit/fixtures";

const FIXTURES = path.resolve(__dirname, "..", "..", "..", "shared", "fixtures", "stackhpc-kayobe-config");

/** Why the published trees cannot be used here, or undefined when they can. */
export function fixturesMissing(): string | undefined {
  return fs.existsSync(path.join(FIXTURES, "stackhpc-2024.1.tar.gz")) ? undefined : `the published stackhpc-kayobe-config trees are not at ${FIXTURES} (a clone of the project alone)`;
}

export const SITE_VAULT_PASSWORD = "site-vault-password-Qx7";

/** The site environment, in the shapes a real site writes: host ranges, INI and YAML, a vault file. */
const SITE_FILES: Record<string, string> = {
  "inventory/hosts": [
    "[seed-hypervisor]",
    "site-shv01",
    "[seed]",
    "site-seed01",
    "[controllers]",
    "site-ctl[01:03]",
    "[storage]",
    "site-stg[01:03]",
    "[infra-vms]",
    "site-wazuh01",
    "[wazuh-manager]",
    "site-wazuh01",
    "",
  ].join("\n"),
  "inventory/hypervisors.yml": "all:\n  children:\n    compute:\n      hosts:\n        site-cmp[01:04]:\n",
  // The seed's address on the provisioning network: the kolla globals template Pulp's URL from it.
  "network-allocation.yml": "---\nprovision_oc_net_ips:\n  site-seed01: 10.205.0.1\n",
  "kolla.yml": "---\nkolla_enable_grafana: true\n",
};

/** What the runbook's Prerequisites have a site set in its 2023.1 kolla globals before the quorum queue migration. */
const QUORUM_GLOBALS = "---\nom_enable_rabbitmq_high_availability: false\nom_enable_rabbitmq_quorum_queues: true\n";

/**
 * A git repository at `<base>/src/kayobe-config`, as a site's is on the day of the
 * upgrade: the published 2023.1 tree with a `site` environment (and the quorum globals
 * the runbook has set) on `site/2023.1`, then the 2024.1 tree with the same environment
 * merged onto `site/2024.1`, checked out. Returns its etc/kayobe.
 */
export function siteKayobeConfig(): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "stackhpc-site-"));
  const checkout = path.join(base, "src", "kayobe-config");
  fs.mkdirSync(checkout, { recursive: true });
  fs.writeFileSync(path.join(base, "vault-password"), SITE_VAULT_PASSWORD);
  const git = (...args: string[]) => run("git", ["-c", "user.name=site", "-c", "user.email=site@localhost", ...args], checkout);
  git("init", "-q", "-b", "site/2023.1");
  for (const release of ["2023.1", "2024.1"]) {
    if (release !== "2023.1") {
      git("checkout", "-q", "-b", `site/${release}`);
      git("rm", "-q", "-r", ".");
    }
    run("tar", ["-xzf", path.join(FIXTURES, `stackhpc-${release}.tar.gz`), "--strip-components=1", "-C", checkout]);
    const env = path.join(checkout, "etc", "kayobe", "environments", "site");
    for (const [file, text] of Object.entries({ ...SITE_FILES, "kolla/globals.yml": QUORUM_GLOBALS })) {
      fs.mkdirSync(path.dirname(path.join(env, file)), { recursive: true });
      fs.writeFileSync(path.join(env, file), text);
    }
    const plain = path.join(base, "secrets.yml");
    fs.writeFileSync(plain, "---\nsecrets_wazuh_api_password: site-wazuh-api-password\n");
    run(path.join(path.dirname(REAL_KAYOBE), "ansible-vault"), ["encrypt", "--vault-password-file", path.join(base, "vault-password"), "--output", path.join(env, "secrets.yml"), plain]);
    fs.rmSync(plain);
    git("add", "-A");
    git("commit", "-q", "-m", `stackhpc/${release} with the site environment`);
  }
  return path.join(checkout, "etc", "kayobe");
}

function run(command: string, args: string[], cwd?: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
}
