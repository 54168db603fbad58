// Where the record of this control host's upgrades lives (the local state, each stack's
// logs): outside the tool's checkout, as scripts/record.sh decides for bin/pulumi,
// bin/status and the scripts, which set KAYOBE_UPGRADE_RECORD.
export function recordDir(): string {
  const dir = process.env.KAYOBE_UPGRADE_RECORD;
  if (dir === undefined || dir === "") throw new Error("KAYOBE_UPGRADE_RECORD, the folder of the upgrades' record, is not set: run bin/pulumi, bin/status or scripts/, which set it (scripts/record.sh), or set it yourself");
  return dir;
}
