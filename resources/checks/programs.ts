// Programs the stack's settings give the plan besides kayobe (the Ironic client, smoke
// tests, prerequisite checks), looked for before anything runs, as the steps will run
// them: a name on the PATH the executor gives, kayobe's virtualenv first.
import * as path from "path";
import { invocationOf, Sides } from "../config/sides";
import { findExecutable } from "../config/paths";
import { SettingName } from "../config/settings";
import { StackConfig } from "../config/stack-config";
import { ConfigError } from "../errors";
import { kayobeProcessEnv } from "../kayobe/process-env";
import type { Command, Side } from "../runbook/phases";
import type { Milestone } from "../runbook/plan";

/** The programs a command runs, as written (kayobe's own scripts are the preflight's to check). */
function programsOf(command: Command): string[] {
  if (Array.isArray(command)) return [command[0]];
  switch (command.kind) {
    case "refuse-nodes-in-wait-state":
    case "with-openrc":
      return [command.argv[0]];
    case "if-still-to-do":
      return command.then.flatMap(programsOf);
    default:
      return [];
  }
}

/** The setting that names `program`, if one does. */
function settingOf(config: StackConfig, program: string): SettingName | undefined {
  if (program === config.baremetalBin) return "baremetalBin";
  if (Object.values(config.smokeTests).some((tests) => tests.some((argv) => argv[0] === program))) return "smokeTests";
  if (Object.values(config.safety.prerequisiteChecks).some((argv) => argv !== false && argv[0] === program)) return "prerequisiteChecks";
  return undefined;
}

/** The PATH a side's steps run with (resources/executor/run-commands.ts). */
function stepPath(config: StackConfig, sides: Sides, side: Side): string {
  return kayobeProcessEnv(invocationOf(config, sides, side), "").PATH ?? "";
}

/** Refuses a plan that would run a program its setting names and the step would not find. */
export function refuseMissingPrograms(config: StackConfig, sides: Sides, plan: Milestone[], projectRoot: string): void {
  for (const m of plan) {
    const side = m.side === "both" ? "target" : m.side;
    for (const program of new Set(m.commands.flatMap(programsOf))) {
      const key = settingOf(config, program);
      if (key === undefined) continue;
      const searchPath = stepPath(config, sides, side);
      if (findExecutable(program.includes("/") ? path.resolve(projectRoot, program) : program, searchPath) !== undefined) continue;
      const where = program.includes("/") ? "is not an executable file" : `is not found on the PATH the step runs with, kayobe's virtualenv first (${searchPath})`;
      throw new ConfigError(config.stack, `kayobe-upgrade:${key}`, `${m.name} runs "${program}", which ${where}; set kayobe-upgrade:${key} to its path${key === "baremetalBin" ? " (python-ironicclient's baremetal, e.g. in a virtualenv of its own)" : ""}`);
    }
  }
}
