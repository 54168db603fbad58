import * as path from "path";

/** How to reach the seed for the runbook's checks over SSH (`ssh stack@<seed>`). */
export interface SeedSsh {
  user: string;
  host: string;
  port: number;
  /** Host keys learnt on first use, per stack. */
  knownHosts: string;
}

const HOST = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const USER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export interface SeedSshSettings {
  host?: string;
  user: string;
  port: string;
  privateKeySet: boolean;
}

/** Off unless seedSshHost is set. */
export function parseSeedSsh({ host, user, port, privateKeySet }: SeedSshSettings, workDir: string, fail: (key: string, expected: string) => never): SeedSsh | undefined {
  if (host === undefined) {
    if (privateKeySet) fail("seedSshPrivateKey", "is set but seedSshHost is not; expected the seed's address in kayobe-upgrade:seedSshHost as well");
    return undefined;
  }
  if (!HOST.test(host)) fail("seedSshHost", `expected the seed's host name or IP address (got "${host}")`);
  if (!USER.test(user)) fail("seedSshUser", `expected a user name such as stack (got "${user}")`);
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) fail("seedSshPort", `expected a TCP port, 1 to 65535 (got "${port}")`);
  return { user, host, port: Number(port), knownHosts: path.join(workDir, "known_hosts") };
}
