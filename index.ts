// The upgrade of one environment (this stack) as a graph of runbook milestones.
import { declareUpgrade } from "./resources/program";

const upgrade = declareUpgrade();
export const milestones = upgrade.milestones;
/** The kayobe-config checkout this run planned from: path, commit, branch, clean. */
export const kayobeConfig = upgrade.kayobeConfig;
/** Each notable-change rule of the target release and its outcome. */
export const notableChanges = upgrade.notableChanges;
