// A real OpenSSH server on loopback standing in for the seed: its own host key, one
// authorized key made here, and stand-ins for sudo, docker and the tools inside the
// bifrost_deploy container, which answer as a healthy Bifrost would unless told not to.
import { spawn, spawnSync, ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { freePort } from "./free-port";

const SSHD = "/usr/sbin/sshd";

const STANDINS: Record<string, string> = {
  sudo: 'exec "$@"',
  docker: `echo "$*" >> "$SEED/docker-calls"
[ "$1 $2" = "exec bifrost_deploy" ] || { echo "Error response from daemon: No such container: $2" >&2; exit 1; }
shift 2; exec "$@"`,
  systemctl: `[ "$1" = is-active ] || exit 1
shift; status=0
for unit in "$@"; do
  if [ -e "$SEED/$unit.down" ]; then echo inactive; status=3; else echo active; fi
done
exit $status`,
  baremetal: `[ "$OS_CLOUD" = bifrost ] || { echo "Missing value auth-url required for auth plugin password" >&2; exit 1; }
case "$*" in
  "node list") echo "| 7c1e | stg-ctl-01 | None | power on | active | False |";;
  "introspection list") echo "| 7c1e | 2024-10-01T10:00:00 | 2024-10-01T10:05:00 | None |";;
  *) exit 2;;
esac`,
};

export class LoopbackSshd {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-upgrade-seed-"));
  readonly user = os.userInfo().username;
  readonly privateKey: string;
  port = 0;
  private server?: ChildProcess;

  constructor() {
    if (!fs.existsSync(SSHD)) throw new Error(`${SSHD} is missing: scripts/setup.sh installs Debian's openssh-server`);
    const bin = path.join(this.dir, "bin");
    fs.mkdirSync(bin);
    for (const [name, body] of Object.entries(STANDINS)) fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nSEED=${this.dir}\n${body}\n`, { mode: 0o755 });
    for (const key of ["host_key", "client_key"]) spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(this.dir, key)], { stdio: "ignore" });
    this.privateKey = fs.readFileSync(path.join(this.dir, "client_key"), "utf8");
    const publicKey = fs.readFileSync(path.join(this.dir, "client_key.pub"), "utf8").trim();
    fs.writeFileSync(path.join(this.dir, "authorized_keys"), `environment="PATH=${bin}:/usr/bin:/bin" ${publicKey}\n`);
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const config = path.join(this.dir, "sshd_config");
    fs.writeFileSync(
      config,
      [
        `Port ${this.port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${path.join(this.dir, "host_key")}`,
        `AuthorizedKeysFile ${path.join(this.dir, "authorized_keys")}`,
        `PidFile ${path.join(this.dir, "sshd.pid")}`,
        "AuthenticationMethods publickey",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password",
        "PermitUserEnvironment PATH",
        "UsePAM no",
        // The test's files live under /tmp, which StrictModes would refuse.
        "StrictModes no",
        "",
      ].join("\n"),
    );
    // sshd's privilege separation needs its empty directory.
    if (process.getuid?.() === 0) fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    this.server = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", fs.openSync(path.join(this.dir, "sshd.log"), "w")] });
    await waitForPort(this.port, 15_000);
  }

  /** Makes a unit look down to systemctl, or brings it back. */
  setDown(unit: string, down: boolean): void {
    const flag = path.join(this.dir, `${unit}.down`);
    if (down) fs.writeFileSync(flag, "");
    else fs.rmSync(flag, { force: true });
  }

  /** What docker was asked, one call a line. */
  dockerCalls(): string[] {
    const file = path.join(this.dir, "docker-calls");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n") : [];
  }

  stop(): void {
    this.server?.kill("SIGTERM");
  }
}


async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
