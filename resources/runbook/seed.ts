import { configureSteps, hostUpgrade, packageUpdate, rebootWhenNeeded } from "./host-commands";
import { enabled, hostsOf, PlanInput, rebootCheck, Step, present } from "./phases";
import { bifrostCheck } from "./bifrost-check";
import { buildsImagesLocally } from "./preparation";

/**
 * The host steps the seed hypervisor and the seed go through alike: packages (with a
 * reboot where one is needed), host services, the configuration check, the configuration.
 */
function hostSteps({ config, kayobe }: PlanInput, phase: Step["phase"], words: string[]) {
  const group = words.join("-");
  const step = (suffix: string, title: string, commands: Step["commands"], risk: Step["risk"], drivenBy: Step["drivenBy"]): Step => ({ name: `${group}-${suffix}`, phase, title, commands, risk, drivenBy });
  return {
    packageUpdate: step("host-package-update", "Upgrade host packages (reboot if the kernel was upgraded)", [packageUpdate(words), rebootWhenNeeded(words, rebootCheck(kayobe), group)], "at risk", ["release", "pulpRepoVersions"]),
    upgrade: step("host-upgrade", "Upgrade host services", [hostUpgrade(words)], "at risk", ["release"]),
    configure: configureSteps(group, phase, words, config.workDir),
  };
}

/** "Upgrading the Seed Hypervisor": host packages and services only (its services are not upgraded). */
export function seedHypervisorSteps(input: PlanInput): Step[] {
  if (hostsOf(input.kayobe, "seed-hypervisor").length === 0) return [];
  const host = hostSteps(input, "Upgrading the Seed Hypervisor", ["seed", "hypervisor"]);
  return [host.packageUpdate, host.upgrade, ...host.configure];
}

/** "Upgrading the Seed": host packages and services, then the containerised seed services. */
export function seedSteps(input: PlanInput): Step[] {
  const { config, kayobe } = input;
  if (hostsOf(kayobe, "seed").length === 0) return [];
  const phase = "Upgrading the Seed";
  const host = hostSteps(input, phase, ["seed"]);
  const steps: (Step | false)[] = [
    host.packageUpdate,
    config.seedSsh !== undefined && bifrostCheck(config.seedSsh, "seed-bifrost-check-after-host-package-update", "the host package update"),
    enabled(kayobe.vars, "ipa_build_images") && {
      name: "seed-deployment-image-build",
      phase,
      title: "Build Ironic deployment images",
      commands: [["kayobe", "seed", "deployment", "image", "build"]],
      risk: "safe",
      drivenBy: ["release"],
    },
    host.upgrade,
    ...host.configure,
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
