import { Phase, Step } from "./phases";
import { isPrerequisiteCheck } from "./prerequisites";

/**
 * Where in the runbook the overcloud MariaDB database can be backed up ("it may be
 * prudent to take backups at various stages of the upgrade since the database state
 * will change over time"). Before the overcloud service upgrade it always is.
 */
export const BACKUP_POINTS = {
  "before-prerequisites": { phase: "Prerequisites", at: "start" },
  "after-prerequisites": { phase: "Prerequisites", at: "end" },
  "after-preparation": { phase: "Preparation", at: "end" },
  "before-overcloud-upgrade": { phase: "Upgrading the Overcloud", at: "start" },
  "before-overcloud-service-upgrade": { phase: "Upgrading the Overcloud", before: "overcloud-service-upgrade" },
  "after-overcloud-service-upgrade": { phase: "Upgrading the Overcloud", after: "overcloud-service-upgrade" },
} as const satisfies Record<string, { phase: Phase; at?: "start" | "end"; before?: string; after?: string }>;

export type BackupPoint = keyof typeof BACKUP_POINTS;

export const ALWAYS_BACKED_UP: BackupPoint = "before-overcloud-service-upgrade";

export function isBackupPoint(value: string): value is BackupPoint {
  return Object.hasOwn(BACKUP_POINTS, value);
}

function backupStep(point: BackupPoint): Step {
  return {
    name: `overcloud-database-backup-${point}`,
    phase: BACKUP_POINTS[point].phase,
    title: `Back up the overcloud MariaDB database (${point})`,
    commands: [["kayobe", "overcloud", "database", "backup"]],
    risk: "safe",
    drivenBy: ["release"],
  };
}

/** Where a phase starts changing things: after its checks. */
function firstChange(steps: Step[]): number {
  const index = steps.findIndex((s) => !isPrerequisiteCheck(s));
  return index < 0 ? steps.length : index;
}

/** Places a database backup at each point, in the runbook's order of points; a point whose phase is empty holds the backup alone. */
export function withDatabaseBackups(phase: Phase, steps: Step[], points: BackupPoint[]): Step[] {
  const result = [...steps];
  for (const point of Object.keys(BACKUP_POINTS) as BackupPoint[]) {
    const where: { phase: Phase; at?: string; before?: string; after?: string } = BACKUP_POINTS[point];
    if (where.phase !== phase || !(point === ALWAYS_BACKED_UP || points.includes(point))) continue;
    const anchor = where.before ?? where.after;
    const index = result.findIndex((s) => s.name === anchor);
    if (anchor !== undefined && index < 0) continue;
    result.splice(where.before !== undefined ? index : where.after !== undefined ? index + 1 : where.at === "end" ? result.length : firstChange(result), 0, backupStep(point));
  }
  return result;
}
