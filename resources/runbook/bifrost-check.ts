import { SeedSsh } from "../config/seed-ssh";
import { Phase, Step } from "./phases";

/**
 * "Verify that Bifrost, Ironic and Inspector are running as expected", made
 * non-interactive: the runbook's `docker exec -it bifrost_deploy bash` session becomes
 * one `bash -c`, and `systemctl` asks whether Ironic and Inspector are active, so that
 * the check fails (and blocks what follows) when they are not.
 */
export const BIFROST_CHECK = ["systemctl is-active ironic ironic-inspector", "export OS_CLOUD=bifrost", "baremetal node list", "baremetal introspection list"].join(" && ");

export function bifrostCheck(seed: SeedSsh, name: string, after: string): Step {
  const phase: Phase = "Upgrading the Seed";
  return {
    name,
    phase,
    title: `Verify that Bifrost, Ironic and Inspector are running as expected (after ${after})`,
    commands: [{ kind: "ssh", destination: `${seed.user}@${seed.host}`, port: seed.port, knownHosts: seed.knownHosts, argv: ["sudo", "docker", "exec", "bifrost_deploy", "bash", "-c", BIFROST_CHECK] }],
    risk: "safe",
    drivenBy: ["release", "imageTags"],
  };
}
