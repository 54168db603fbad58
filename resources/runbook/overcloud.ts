import { ConfigError } from "../errors";
import { configureSteps, hostUpgrade, packageUpdate, rebootWhenNeeded } from "./host-commands";
import { untilHealthy } from "./host-health";
import { PACKAGE_UPDATE, PackageBatch, packageBatches } from "./package-batches";
import { ironicWaitCheck } from "./ironic-wait-check";
import { Command, enabled, hostsOf, PlanInput, playbook, present, rebootCheck, Risk, Step } from "./phases";

/** Rebooting a controller or network host takes API endpoints down; other hosts are at risk. */
function batchRisk(batch: PackageBatch, input: PlanInput): Risk {
  const controlPlane = [...hostsOf(input.kayobe, "controllers"), ...hostsOf(input.kayobe, "network")];
  return batch.hosts.some((host) => controlPlane.includes(host)) ? "outage" : "at risk";
}

function packageUpdateStep(input: PlanInput, batch: PackageBatch): Step {
  const limit = batch.hosts.join(",");
  const commands: (Command | false)[] = [
    // Live-migrate the VMs away before touching a hypervisor (nova-compute-{disable,drain}.yml).
    batch.drain && ["kayobe", "playbook", "run", playbook("nova-compute-disable"), playbook("nova-compute-drain"), "--limit", limit],
    packageUpdate(["overcloud"], ["--limit", limit]),
    rebootWhenNeeded(["overcloud"], rebootCheck(input.kayobe), limit, ["--limit", limit]),
    batch.drain && ["kayobe", "playbook", "run", playbook("nova-compute-enable"), "--limit", limit],
    // Its batch is one host: the next host waits until the cloud is whole again.
    batch.waitForHealth && untilHealthy(input, batch.hosts[0]),
  ];
  return {
    name: `${PACKAGE_UPDATE}${batch.hosts.join("+")}`,
    phase: "Upgrading the Overcloud",
    title: `Upgrade host packages on ${batch.hosts.join(", ")} (reboot if the kernel was upgraded)`,
    commands: present(commands),
    risk: batchRisk(batch, input),
    drivenBy: ["release", "pulpRepoVersions"],
  };
}

/** Octavia uses amphorae unless its provider drivers leave the amphora driver out. */
function usesAmphorae(input: PlanInput): boolean {
  const drivers = input.kayobe.kollaGlobals.octavia_provider_drivers;
  return enabled(input.kayobe.vars, "kolla_enable_octavia") && (drivers === undefined || String(drivers).includes("amphora"));
}

/** "Upgrading the Overcloud". */
export function overcloudSteps(input: PlanInput): Step[] {
  const { config, kayobe } = input;
  // The hypervisors' nova-compute playbooks are delegated to controllers[0], and the
  // configuration preview samples it: an overcloud without controllers cannot be upgraded.
  if (hostsOf(kayobe, "overcloud").length > 0 && hostsOf(kayobe, "controllers").length === 0) {
    throw new ConfigError(config.stack, "kayobe-upgrade:kayobeConfigPath", `expected a controllers group with at least one host in the inventory of ${kayobe.configPath} (the overcloud's hosts are ${hostsOf(kayobe, "overcloud").join(", ")})`);
  }
  const phase = "Upgrading the Overcloud";
  const words = ["overcloud"];
  const ironic = enabled(kayobe.vars, "kolla_enable_ironic");
  const tags = [...(config.serviceUpgradeTags ? ["--tags", config.serviceUpgradeTags] : []), ...(config.serviceUpgradeKollaTags ? ["--kolla-tags", config.serviceUpgradeKollaTags] : [])];
  const steps: (Step | false)[] = [
    ...packageBatches(input).map((batch) => packageUpdateStep(input, batch)),
    { name: "overcloud-host-upgrade", phase, title: "Upgrade host services", commands: [hostUpgrade(words)], risk: "at risk", drivenBy: ["release"] },
    ...configureSteps("overcloud", phase, words, config.workDir),
    ironic &&
      enabled(kayobe.vars, "ipa_build_images") && {
        name: "overcloud-deployment-image-build",
        phase,
        title: "Build Ironic deployment images",
        commands: [["kayobe", "overcloud", "deployment", "image", "build"]],
        risk: "safe",
        drivenBy: ["release"],
      },
    ironic && {
      name: "baremetal-compute-update-deployment-image",
      phase,
      title: "Upgrade Ironic deployment images",
      commands: [["kayobe", "baremetal", "compute", "update", "deployment", "image"]],
      risk: "at risk",
      drivenBy: ["release"],
    },
    ironic && !enabled(kayobe.kollaGlobals, "ironic_upgrade_skip_wait_check") && ironicWaitCheck(config),
    {
      name: "overcloud-service-upgrade",
      phase,
      title: "Upgrade containerised services",
      commands: [["kayobe", "overcloud", "service", "upgrade", ...tags]],
      risk: "outage",
      drivenBy: ["release", "imageTags"],
      settings: { serviceUpgradeTags: config.serviceUpgradeTags ?? null, serviceUpgradeKollaTags: config.serviceUpgradeKollaTags ?? null },
      // The runbook's `less ~/kolla-diff.diff`: what the new configuration changes, approved first.
      gatedBy: "overcloud-service-configuration-preview",
    },
    usesAmphorae(input) && {
      name: "octavia-amphora-image",
      phase,
      title: "Update the Octavia amphora image",
      // StackHPC's operations guide (doc/source/operations/octavia.rst): build, then
      // register with the Octavia service account's credentials.
      commands: [
        ["kayobe", "playbook", "run", playbook("octavia-amphora-image-build")],
        { kind: "with-openrc", openrc: "octavia-openrc.sh", argv: ["kayobe", "playbook", "run", playbook("octavia-amphora-image-register")] },
      ],
      risk: "at risk",
      drivenBy: ["release"],
    },
  ];
  return present(steps);
}
