import { ConfigError } from "../errors";
import { configureSteps, packageUpdate, rebootWhenNeeded } from "./host-commands";
import { hostsOf, PlanInput, playbook, rebootCheck, Step } from "./phases";

/** "Upgrading Wazuh Manager": an infra VM, limited to the wazuh-manager group. */
export function wazuhManagerSteps({ config, kayobe }: PlanInput): Step[] {
  const managers = hostsOf(kayobe, "wazuh-manager");
  if (managers.length === 0) return [];
  // `kayobe infra vm ...` targets infra-vms: a manager outside it would leave the
  // runbook's commands with no host, found here rather than in the window.
  const outside = managers.filter((host) => !hostsOf(kayobe, "infra-vms").includes(host));
  if (outside.length > 0) {
    throw new ConfigError(
      config.stack,
      "kayobe-upgrade:kayobeConfigPath",
      `the Wazuh manager host(s) ${outside.join(", ")} are not in the infra-vms group of the inventory of ${kayobe.configPath}, so the runbook's \`kayobe infra vm host package update -l wazuh-manager\` would find no host; add them to [infra-vms] as Wazuh's infra VM`,
    );
  }
  const phase = "Upgrading Wazuh Manager";
  const words = ["infra", "vm"];
  const limit = ["-l", "wazuh-manager"];
  return [
    {
      name: "wazuh-manager-host-package-update",
      phase,
      title: "Upgrade host packages (reboot if the kernel was upgraded)",
      commands: [packageUpdate(words, limit), rebootWhenNeeded(words, rebootCheck(kayobe), "wazuh-manager", limit)],
      risk: "at risk",
      drivenBy: ["release", "pulpRepoVersions"],
    },
    ...configureSteps("wazuh-manager", phase, words, config.workDir, limit),
    {
      name: "wazuh-manager-services",
      phase,
      title: "Upgrade Wazuh Manager services",
      commands: [["kayobe", "playbook", "run", playbook("wazuh-manager")]],
      risk: "at risk",
      drivenBy: ["release"],
    },
  ];
}

/** "Upgrading Wazuh Agents": where Wazuh is deployed, i.e. there is a manager for them. */
export function wazuhAgentSteps({ kayobe }: PlanInput): Step[] {
  if (hostsOf(kayobe, "wazuh-manager").length === 0 || hostsOf(kayobe, "wazuh-agent").length === 0) return [];
  return [
    {
      name: "wazuh-agent-services",
      phase: "Upgrading Wazuh Agents",
      title: "Upgrade Wazuh Agent services",
      commands: [["kayobe", "playbook", "run", playbook("wazuh-agent")]],
      risk: "at risk",
      drivenBy: ["release"],
    },
  ];
}
