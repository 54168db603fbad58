/**
 * The runbook's phases, in its order ("Overview" in upgrading-openstack.rst). After
 * Preparation the runbook allows any order; this one completes as much as possible
 * before the user-facing overcloud upgrade.
 */
export const PHASES = [
  "Prerequisites",
  "Preparation",
  "Upgrading the Seed Hypervisor",
  "Upgrading the Seed",
  "Upgrading Wazuh Manager",
  "Upgrading Wazuh Agents",
  "Upgrading the Overcloud",
  "Cleaning up",
] as const;

export type Phase = (typeof PHASES)[number];

/** What in the configuration a step's outcome depends on: when it changes, the step runs again. */
export type Driver = "release" | "pulpRepoVersions" | "imageTags";

/**
 * One step of the runbook: the kayobe commands it gives, as argv arrays, written as the
 * runbook writes them (`kayobe` first, `$KAYOBE_CONFIG_PATH` unexpanded).
 */
export interface Step {
  /** Unique, stable: the milestone's resource name. */
  name: string;
  phase: Phase;
  /** The runbook's words for what the step achieves. */
  title: string;
  commands: string[][];
  drivenBy: Driver[];
}

export const PLAYBOOKS = "$KAYOBE_CONFIG_PATH/ansible";
export const playbook = (name: string) => `${PLAYBOOKS}/${name}.yml`;
