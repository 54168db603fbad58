// A throwaway copy of the project with its own file backend (or a backend given in its
// environment), on which the tests run the real Pulumi engine through bin/pulumi, as an
// operator would.
import { spawn, SpawnOptions, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const PROJECT = path.resolve(__dirname, "..", "..");
const COPIED = ["Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.production.yaml", "package.json", "tsconfig.json", "index.ts", "resources", "samples", "simulator", "engine", "bin", "scripts"];

export interface JournalEntry {
  event: "start" | "end" | "refused";
  argv: string[];
  env: Record<string, string>;
  exit?: number;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

export interface WorkspaceOptions {
  /** Environment of every pulumi run, e.g. an S3 backend's URL and credentials. */
  env?: Record<string, string>;
  /**
   * Another operator's copy whose path this one takes while pulumi runs (bound there in
   * a private mount namespace), as a second control host laid out like the first: the
   * commands the state records hold the project's absolute path.
   */
  sameLayoutAs?: Workspace;
}

type PulumiOptions = { env?: Record<string, string>; expectFailure?: boolean };

export class Workspace {
  /** Where this copy's files are. */
  readonly root: string;
  /** Where pulumi sees the project: its root, or the path of the copy it stands in for. */
  readonly enginePath: string;
  private readonly backend: string;
  private readonly env: Record<string, string>;

  constructor(options: WorkspaceOptions = {}) {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-upgrade-e2e-"));
    this.root = path.join(top, "project");
    this.backend = path.join(top, "state");
    fs.mkdirSync(this.root);
    fs.mkdirSync(this.backend);
    for (const entry of COPIED) fs.cpSync(path.join(PROJECT, entry), path.join(this.root, entry), { recursive: true });
    fs.symlinkSync(path.join(PROJECT, "node_modules"), path.join(this.root, "node_modules"));
    this.enginePath = options.sameLayoutAs?.root ?? this.root;
    this.env = { PULUMI_BACKEND_URL: `file://${this.backend}`, ...options.env };
  }

  /** Runs bin/pulumi in the copy; throws with its output unless `expectFailure`. */
  pulumi(args: string[], options: PulumiOptions = {}): Result {
    const [command, argv, spawnOptions] = this.invocation(args, options);
    const result = spawnSync(command, argv, { ...spawnOptions, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    return checked(args, { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }, options);
  }

  /** Starts bin/pulumi in the copy and leaves it running; the promise settles as `pulumi` does. */
  start(args: string[], options: PulumiOptions = {}): Promise<Result> {
    const [command, argv, spawnOptions] = this.invocation(args, options);
    const child = spawn(command, argv, { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code) => {
        try {
          resolve(checked(args, { code: code ?? -1, stdout, stderr }, options));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  private invocation(args: string[], options: PulumiOptions): [string, string[], SpawnOptions] {
    const env = {
      ...process.env,
      PULUMI_CONFIG_PASSPHRASE_FILE: path.join(this.enginePath, "samples", "sample.passphrase"),
      ...this.env,
      ...options.env,
    };
    const pulumiArgs = [...args, "--non-interactive"];
    if (this.enginePath === this.root) return [path.join(this.root, "bin", "pulumi"), pulumiArgs, { cwd: this.root, env }];
    const bound = 'src=$0 dst=$1; shift; mount --bind "$src" "$dst" && cd "$dst" && exec "$dst/bin/pulumi" "$@"';
    return ["unshare", ["--mount", "sh", "-c", bound, this.root, this.enginePath, ...pulumiArgs], { cwd: this.root, env }];
  }

  /** Selects (creating when new) a stack whose config file the copy already has. */
  stack(name: string): void {
    this.pulumi(["stack", "select", "--create", name]);
  }

  setConfig(stack: string, key: string, value: string, secret = false): void {
    this.pulumi(["config", "set", "--stack", stack, ...(secret ? ["--secret"] : []), `kayobe-upgrade:${key}`, value]);
  }

  file(relative: string): string {
    return path.join(this.root, relative);
  }

  /** The simulator's journal of kayobe calls for a stack (as the shipped stack files place it). */
  journal(stack: string): JournalEntry[] {
    const file = this.file(`.kayobe-upgrade/${stack}/kayobe-journal.jsonl`);
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as JournalEntry);
  }

  /** Every kayobe call that started, in order, with the config path and the stack's scratch folder as $KAYOBE_CONFIG_PATH and $WORK. */
  calls(stack: string): string[] {
    const configPath = path.join(this.enginePath, "samples/kayobe-config/etc/kayobe");
    const workDir = path.join(this.enginePath, `.kayobe-upgrade/${stack}`);
    return this.journal(stack)
      .filter((entry) => entry.event === "start")
      .map((entry) => entry.argv.join(" ").split(configPath).join("$KAYOBE_CONFIG_PATH").split(workDir).join("$WORK"));
  }

  exportState(stack: string): string {
    return this.pulumi(["stack", "export", "--stack", stack]).stdout;
  }

  /** Every file under the copy's log folder, concatenated. */
  logs(stack: string): string {
    const dir = this.file(`.kayobe-upgrade/logs/${stack}`);
    if (!fs.existsSync(dir)) return "";
    return fs
      .readdirSync(dir)
      .map((name) => fs.readFileSync(path.join(dir, name), "utf8"))
      .join("\n");
  }
}

function checked(args: string[], outcome: Result, options: PulumiOptions): Result {
  if ((outcome.code === 0) === Boolean(options.expectFailure)) {
    throw new Error(`pulumi ${args.join(" ")} exited ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`);
  }
  return outcome;
}
