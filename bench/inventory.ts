// The kayobe inventory of a cloud of a given size, for the benchmark: the sample's
// seed, seed hypervisor and Wazuh manager, 3 controllers, a storage host per 20
// overcloud hosts, and the rest hypervisors.

/** Hosts per group of an overcloud of `overcloudHosts` hosts. */
export function overcloudGroups(overcloudHosts: number): Record<string, string[]> {
  const storage = Math.max(1, Math.round(overcloudHosts / 20));
  const compute = overcloudHosts - 3 - storage;
  if (!Number.isInteger(overcloudHosts) || compute < 1) throw new Error(`expected a whole number of overcloud hosts of at least 5, got ${overcloudHosts}`);
  const named = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(4, "0")}`);
  return {
    "seed-hypervisor": ["seed-hypervisor-01"],
    seed: ["seed-01"],
    controllers: named("ctl", 3),
    compute: named("cmp", compute),
    storage: named("stg", storage),
    "wazuh-manager": ["wazuh-01"],
  };
}

/** The groups as an INI inventory (environments/<env>/inventory/hosts). */
export function inventoryHosts(overcloudHosts: number): string {
  const groups = overcloudGroups(overcloudHosts);
  return Object.entries(groups)
    .map(([group, hosts]) => `[${group}]\n${hosts.join("\n")}\n`)
    .join("\n");
}
