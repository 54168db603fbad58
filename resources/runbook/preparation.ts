import { KayobeConfig } from "../config/kayobe-config";
import { playbook, Step } from "./phases";

/** The first host of each kind the runbook samples (controller, compute, storage), where the inventory has one. */
export function firstHostOfEachKind(kayobe: KayobeConfig): string {
  return ["controllers", "compute", "storage"]
    .filter((group) => (kayobe.inventory[group] ?? []).length > 0)
    .map((group) => `${group}[0]`)
    .join(",");
}

/** "Preparation": the local Kayobe environment, Release Train content, images on the hosts. */
export function preparationSteps(kayobe: KayobeConfig): Step[] {
  const phase = "Preparation";
  return [
    {
      name: "control-host-upgrade",
      phase,
      title: "Upgrade the Ansible control host",
      commands: [["kayobe", "control", "host", "upgrade"]],
      drivenBy: ["release"],
    },
    {
      name: "pulp-repo-sync",
      phase,
      title: "Sync and publish host package repositories",
      commands: [
        ["kayobe", "playbook", "run", playbook("pulp-repo-sync")],
        ["kayobe", "playbook", "run", playbook("pulp-repo-publish")],
      ],
      drivenBy: ["release", "pulpRepoVersions"],
    },
    {
      name: "pulp-container-sync",
      phase,
      title: "Sync and publish container images",
      commands: [
        ["kayobe", "playbook", "run", playbook("pulp-container-sync")],
        ["kayobe", "playbook", "run", playbook("pulp-container-publish")],
      ],
      drivenBy: ["release", "imageTags"],
    },
    {
      name: "container-image-pull",
      phase,
      title: "Pull container images to hosts",
      commands: [
        ["kayobe", "overcloud", "host", "command", "run", "--command", "df -h", "--show-output", "--limit", firstHostOfEachKind(kayobe)],
        ["kayobe", "overcloud", "container", "image", "pull"],
      ],
      drivenBy: ["release", "imageTags"],
    },
  ];
}
