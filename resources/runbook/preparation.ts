import * as path from "path";
import { KayobeConfig } from "../config/kayobe-config";
import { enabled, hostsOf, PlanInput, playbook, Step, present } from "./phases";

/** The runbook samples the first host of each kind (controller, compute, storage) the inventory has. */
export function firstHostOfEachKind(kayobe: KayobeConfig): string {
  return ["controllers", "compute", "storage"]
    .filter((group) => hostsOf(kayobe, group).length > 0)
    .map((group) => `${group}[0]`)
    .join(",");
}

/** Whether the kayobe-config builds customised images locally (the runbook's switch for it). */
export function buildsImagesLocally(kayobe: KayobeConfig): boolean {
  return enabled(kayobe.vars, "stackhpc_pulp_sync_for_local_container_build");
}

/** "Preparation": the local Kayobe environment, Release Train content, images on the hosts, the configuration preview. */
export function preparationSteps({ config, kayobe }: PlanInput): Step[] {
  const phase = "Preparation";
  const sample = firstHostOfEachKind(kayobe);
  const diff = path.join(config.workDir, "kolla-diff");
  const compared = { old: path.join(diff, "old"), new: path.join(diff, "new") };
  const exclude = ["--exclude", "ironic-agent.initramfs,ironic-agent.kernel"];
  const pip = config.safety.kayobePip;
  const steps: (Step | false)[] = [
    // "Upgrading local Kayobe environment": the checkout's requirements, into kayobe's virtualenv.
    pip !== undefined &&
      kayobe.requirements !== undefined && {
        name: "kayobe-environment-reinstall",
        phase,
        title: "Reinstall Kayobe and other dependencies in the Kayobe virtual environment",
        commands: [[pip, "install", "--force-reinstall", "-r", "$KAYOBE_CONFIG_PATH/../../requirements.txt"]],
        risk: "safe",
        drivenBy: ["release", "kayobeRequirements"],
      },
    {
      name: "control-host-upgrade",
      phase,
      title: "Upgrade the Ansible control host",
      commands: [["kayobe", "control", "host", "upgrade"]],
      risk: "safe",
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
      risk: "safe",
      drivenBy: ["release", "pulpRepoVersions"],
    },
    // Staging is the test environment that proves the content; production promotes it.
    config.stage === "production" && {
      name: "pulp-repo-promote-production",
      phase,
      title: "Promote host package content to production",
      commands: [["kayobe", "playbook", "run", playbook("pulp-repo-promote-production")]],
      risk: "safe",
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
      risk: "safe",
      drivenBy: ["release", "imageTags"],
    },
    buildsImagesLocally(kayobe) && {
      name: "overcloud-container-image-build",
      phase,
      title: "Build locally customised container images",
      commands: [["kayobe", "overcloud", "container", "image", "build", "--push", ...config.overcloudImageRegexes]],
      risk: "safe",
      drivenBy: ["release", "imageTags"],
      settings: { overcloudImageRegexes: config.overcloudImageRegexes },
    },
    {
      name: "container-image-pull",
      phase,
      title: "Pull container images to hosts",
      commands: [
        ["kayobe", "overcloud", "host", "command", "run", "--command", "df -h", "--show-output", "--limit", sample],
        ["kayobe", "overcloud", "container", "image", "pull"],
      ],
      risk: "safe",
      drivenBy: ["release", "imageTags"],
    },
    {
      name: "overcloud-service-configuration-preview",
      phase,
      title: "Preview overcloud service configuration changes",
      commands: [
        { kind: "remove", path: diff },
        ["kayobe", "overcloud", "service", "configuration", "save", "--node-config-dir", "/etc/kolla", "--output-dir", compared.old, "--limit", sample, ...exclude],
        ["kayobe", "overcloud", "service", "configuration", "generate", "--node-config-dir", "/tmp/kolla", "--kolla-limit", sample],
        ["kayobe", "overcloud", "service", "configuration", "save", "--node-config-dir", "/tmp/kolla", "--output-dir", compared.new, "--limit", sample, ...exclude],
        { kind: "fix-up-paths", dir: compared.new },
        { kind: "diff", ...compared, output: `${diff}.diff` },
      ],
      risk: "safe",
      drivenBy: ["release"],
      toReview: { kind: "config-diff", file: `${diff}.diff`, ...compared },
    },
  ];
  return present(steps);
}
