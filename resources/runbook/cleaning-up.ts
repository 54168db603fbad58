import { Step } from "./phases";

/** "Cleaning up": images the upgrade left unused. */
export function cleaningUpSteps(): Step[] {
  return [
    {
      name: "container-image-prune",
      phase: "Cleaning up",
      title: "Prune unused container images",
      commands: [["kayobe", "overcloud", "host", "command", "run", "-b", "--command", "docker image prune -a -f"]],
      risk: "safe",
      drivenBy: ["release"],
    },
  ];
}
