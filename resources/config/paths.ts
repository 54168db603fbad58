// The stack's paths, checked at preview: a missing kayobe or log folder is named by its
// key before anything runs, not found by the first command that needs it.
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../errors";
import { StackConfig } from "./stack-config";

// Pseudo file systems where Node's recursive mkdir loops instead of failing (proc, sysfs,
// cgroup, cgroup2, debugfs, securityfs, tracefs).
const PSEUDO_FILE_SYSTEMS = [0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x64626720, 0x73636673, 0x74726163];

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The executable `bin` names: a path, or a bare name found on PATH (`searchPath`) as a shell would. */
export function findExecutable(bin: string, searchPath = process.env.PATH): string | undefined {
  if (bin.includes("/")) return isExecutableFile(bin) ? bin : undefined;
  return (searchPath ?? "").split(path.delimiter).map((dir) => path.join(dir, bin)).find(isExecutableFile);
}

/** What is wrong with `dir` as a folder to write logs in, if anything. */
function logDirProblem(dir: string): string | undefined {
  let existing = dir;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (!fs.statSync(existing).isDirectory()) return `${existing} is not a folder`;
  if (PSEUDO_FILE_SYSTEMS.includes(Number(fs.statfsSync(existing).type))) return `${existing} is on a kernel pseudo file system`;
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch {
    return `${existing} is not writable`;
  }
  return undefined;
}

export function checkPaths(config: StackConfig): void {
  const fail = (key: string, expected: string): never => {
    throw new ConfigError(config.stack, `kayobe-upgrade:${key}`, expected);
  };
  const bin = config.kayobeBin;
  if (!bin.includes("/") && findExecutable(bin) === undefined) fail("kayobeBin", `"${bin}" is not found on PATH; set it to the path of the kayobe executable, e.g. /opt/kayobe/venvs/kayobe/bin/kayobe`);
  if (bin.includes("/") && findExecutable(bin) === undefined) fail("kayobeBin", `expected the kayobe executable, but ${bin} ${fs.existsSync(bin) ? "is not an executable file" : "does not exist"}`);
  const preflight = config.preflightKayobeBin;
  if (preflight !== bin && findExecutable(preflight) === undefined) {
    fail("preflightKayobeBin", `expected a kayobe installed in a virtualenv, whose parser the preflight consults, but ${preflight} ${preflight.includes("/") ? "is not an executable file" : "is not found on PATH"} (scripts/ensure-kayobe.sh installs kayobe 16.8.0 for the shipped stacks)`);
  }
  const pip = config.safety.kayobePip;
  if (pip !== undefined && !isExecutableFile(pip)) {
    fail("kayobeVenv", `expected the Kayobe virtualenv, whose bin/pip reinstalls kayobe's requirements, but ${pip} does not exist (kayobeVenv defaults to the folder above kayobeBin's); set kayobe-upgrade:kayobeVenv to the virtualenv`);
  }
  const problem = logDirProblem(config.logDir);
  if (problem !== undefined) fail("logDir", `expected a folder this user can write logs in, but ${problem} (wanted ${config.logDir})`);
}
