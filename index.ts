// The upgrade of one environment (this stack) as a graph of runbook milestones.
import { declareUpgrade } from "./resources/program";

export = declareUpgrade;
