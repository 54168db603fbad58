// Which hosts' packages are updated together, and in what order: never two hosts the
// cloud's control plane or its storage cannot lose at once.
import { ConfigError } from "../errors";
import { hostsOf, PlanInput } from "./phases";

/** Hosts whose packages are updated together, in one milestone. */
export interface PackageBatch {
  hosts: string[];
  /** Some are hypervisors: their VMs are live-migrated away first (nova-compute-disable, -drain). */
  drain: boolean;
  /** A control-plane or storage host: the cloud's health is waited for before the next host. */
  waitForHealth: boolean;
}

export const PACKAGE_UPDATE = "overcloud-host-package-update-";

/**
 * Hypervisors in batches of `size`. A batch the stack has recorded keeps its hosts (and
 * its milestone's name) while they are all still hypervisors only: a new size batches
 * only the hosts not yet updated, and never updates (and drains) one again.
 */
function hypervisorBatches(hypervisors: string[], size: number, recorded: string[]): string[][] {
  const kept = recorded
    .filter((name) => name.startsWith(PACKAGE_UPDATE))
    .map((name) => name.slice(PACKAGE_UPDATE.length).split("+"))
    .filter((hosts) => hosts.every((host) => hypervisors.includes(host)))
    .sort((a, b) => hypervisors.indexOf(a[0]) - hypervisors.indexOf(b[0]));
  const rest = hypervisors.filter((host) => !kept.some((hosts) => hosts.includes(host)));
  const fresh = Array.from({ length: Math.ceil(rest.length / size) }, (_, i) => rest.slice(i * size, (i + 1) * size));
  return [...kept, ...fresh];
}

/** The controllers and network hosts, the VIP holder last. */
function controlPlaneOf({ config, kayobe }: PlanInput): string[] {
  const controlPlane = [...new Set([...hostsOf(kayobe, "controllers"), ...hostsOf(kayobe, "network")])];
  if (config.vipHost === undefined) return controlPlane;
  if (!controlPlane.includes(config.vipHost)) {
    throw new ConfigError(config.stack, "kayobe-upgrade:vipHost", `expected one of the controllers or network hosts (${controlPlane.join(", ")}), got "${config.vipHost}"`);
  }
  return [...controlPlane.filter((host) => host !== config.vipHost), config.vipHost];
}

/**
 * The order the runbook asks for: controllers and network hosts one by one, the VIP
 * holder last; storage hosts one by one; other hosts (monitoring...) one by one;
 * hypervisors in batches. A host in two roles goes with the one that cannot lose two
 * hosts at once (a controller that is also a hypervisor is drained, alone), and is
 * updated once.
 */
export function packageBatches(input: PlanInput): PackageBatch[] {
  const { config, kayobe, recorded } = input;
  const compute = hostsOf(kayobe, "compute");
  const controlPlane = controlPlaneOf(input);
  const storage = hostsOf(kayobe, "storage").filter((host) => !controlPlane.includes(host));
  const hypervisors = compute.filter((host) => !controlPlane.includes(host) && !storage.includes(host));
  const others = hostsOf(kayobe, "overcloud").filter((host) => ![...controlPlane, ...storage, ...compute].includes(host));
  const alone = (hosts: string[], waitForHealth: boolean) => hosts.map((host) => ({ hosts: [host], drain: compute.includes(host), waitForHealth }));
  return [
    ...alone(controlPlane, true),
    ...alone(storage, true),
    ...alone(others, false),
    ...hypervisorBatches(hypervisors, config.hypervisorBatchSize, recorded).map((hosts) => ({ hosts, drain: true, waitForHealth: false })),
  ];
}

/** Without the VIP holder named, it may be updated (and rebooted) before the other controllers: preview says so. */
export function vipHostWarning({ config, kayobe }: Pick<PlanInput, "config" | "kayobe">): string | undefined {
  const controllers = hostsOf(kayobe, "controllers");
  if (config.vipHost !== undefined || controllers.length < 2) return undefined;
  return `kayobe-upgrade:vipHost is not set: the controllers' packages are updated in inventory order (${controllers.join(", ")}), and the one holding the VIP may not be last as the runbook asks; set it (bin/pulumi config set kayobe-upgrade:vipHost HOST)`;
}
