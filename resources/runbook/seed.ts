import { configure, configureCheck, hostUpgrade, packageUpdate, rebootWhenNeeded } from "./host-commands";
import { enabled, hostsOf, PlanInput, rebootCheck, Step, present } from "./phases";
import { bifrostCheck } from "./bifrost-check";
import { buildsImagesLocally } from "./preparation";

/** "Upgrading the Seed Hypervisor": host packages and services only (its services are not upgraded). */
export function seedHypervisorSteps({ kayobe }: PlanInput): Step[] {
  if (hostsOf(kayobe, "seed-hypervisor").length === 0) return [];
  const phase = "Upgrading the Seed Hypervisor";
  const words = ["seed", "hypervisor"];
  return [
    {
      name: "seed-hypervisor-host-package-update",
      phase,
      title: "Upgrade host packages (reboot if the kernel was upgraded)",
      commands: [packageUpdate(words), rebootWhenNeeded(words, rebootCheck(kayobe), "seed-hypervisor")],
      risk: "at risk",
      drivenBy: ["release", "pulpRepoVersions"],
    },
    { name: "seed-hypervisor-host-upgrade", phase, title: "Upgrade host services", commands: [hostUpgrade(words)], risk: "at risk", drivenBy: ["release"] },
    { name: "seed-hypervisor-host-configure-check", phase, title: "Check host configuration (check mode)", commands: [configureCheck(words)], risk: "safe", drivenBy: ["release"] },
    { name: "seed-hypervisor-host-configure", phase, title: "Configure hosts", commands: [configure(words)], risk: "at risk", drivenBy: ["release"] },
  ];
}

/** "Upgrading the Seed": host packages and services, then the containerised seed services. */
export function seedSteps({ config, kayobe }: PlanInput): Step[] {
  if (hostsOf(kayobe, "seed").length === 0) return [];
  const phase = "Upgrading the Seed";
  const words = ["seed"];
  const steps: (Step | false)[] = [
    {
      name: "seed-host-package-update",
      phase,
      title: "Upgrade host packages (reboot if the kernel was upgraded)",
      commands: [packageUpdate(words), rebootWhenNeeded(words, rebootCheck(kayobe), "seed")],
      risk: "at risk",
      drivenBy: ["release", "pulpRepoVersions"],
    },
    config.seedSsh !== undefined && bifrostCheck(config.seedSsh, "seed-bifrost-check-after-host-package-update", "the host package update"),
    enabled(kayobe.vars, "ipa_build_images") && {
      name: "seed-deployment-image-build",
      phase,
      title: "Build Ironic deployment images",
      commands: [["kayobe", "seed", "deployment", "image", "build"]],
      risk: "safe",
      drivenBy: ["release"],
    },
    { name: "seed-host-upgrade", phase, title: "Upgrade host services", commands: [hostUpgrade(words)], risk: "at risk", drivenBy: ["release"] },
    { name: "seed-host-configure-check", phase, title: "Check host configuration (check mode)", commands: [configureCheck(words)], risk: "safe", drivenBy: ["release"] },
    { name: "seed-host-configure", phase, title: "Configure hosts", commands: [configure(words)], risk: "at risk", drivenBy: ["release"] },
    buildsImagesLocally(kayobe) && {
      name: "seed-container-image-build",
      phase,
      title: "Build container images",
      commands: [["kayobe", "seed", "container", "image", "build", "--push"]],
      risk: "safe",
      drivenBy: ["release", "imageTags"],
    },
    {
      name: "seed-service-upgrade",
      phase,
      title: "Upgrade containerised services",
      commands: [["kayobe", "seed", "service", "upgrade"]],
      risk: "at risk",
      drivenBy: ["release", "imageTags"],
    },
    config.seedSsh !== undefined && bifrostCheck(config.seedSsh, "seed-bifrost-check", "the service upgrade"),
  ];
  return present(steps);
}
