// A throwaway copy of the project with its own file backend, on which the tests run the
// real Pulumi engine through bin/pulumi, as an operator would.
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const PROJECT = path.resolve(__dirname, "..", "..");
export const REAL_KAYOBE = ".kayobe-upgrade/kayobe-16.8.0";
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

/** A bin/pulumi run in the background. */
export interface Running {
  child: ChildProcess;
  output(): string;
  exited: Promise<number>;
}

export class Workspace {
  readonly root: string;
  private readonly backend: string;

  constructor() {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-upgrade-e2e-"));
    this.root = path.join(top, "project");
    this.backend = path.join(top, "state");
    fs.mkdirSync(this.root);
    fs.mkdirSync(this.backend);
    for (const entry of COPIED) fs.cpSync(path.join(PROJECT, entry), path.join(this.root, entry), { recursive: true });
    fs.symlinkSync(path.join(PROJECT, "node_modules"), path.join(this.root, "node_modules"));
    // The real kayobe the shipped stacks' preflight checks against (scripts/ensure-kayobe.sh).
    fs.mkdirSync(path.join(this.root, ".kayobe-upgrade"));
    fs.symlinkSync(fs.realpathSync(path.join(PROJECT, REAL_KAYOBE)), path.join(this.root, REAL_KAYOBE));
  }

  /** Runs bin/pulumi in the copy; throws with its output unless `expectFailure`. */
  pulumi(args: string[], options: { env?: Record<string, string>; expectFailure?: boolean } = {}): Result {
    const result = spawnSync(path.join(this.root, "bin", "pulumi"), [...args, "--non-interactive"], {
      cwd: this.root,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: this.environment(options.env),
    });
    const outcome = { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    if ((outcome.code === 0) === Boolean(options.expectFailure)) {
      throw new Error(`pulumi ${args.join(" ")} exited ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`);
    }
    return outcome;
  }

  /**
   * Starts bin/pulumi in a process group of its own, as a terminal runs it: a signal to
   * the group is a Ctrl-C.
   */
  start(args: string[], env: Record<string, string> = {}): Running {
    const child = spawn(path.join(this.root, "bin", "pulumi"), [...args, "--non-interactive"], { cwd: this.root, env: this.environment(env), detached: true });
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString()));
    child.stderr.on("data", (data: Buffer) => (output += data.toString()));
    const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
    return { child, output: () => output, exited };
  }

  environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      PULUMI_CONFIG_PASSPHRASE_FILE: path.join(this.root, "samples", "sample.passphrase"),
      ...extra,
    };
  }

  /** Resolves once the journal of `stack` shows a kayobe call matching `pattern` has started. */
  async callStarted(stack: string, pattern: RegExp, timeoutMs = 300000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.calls(stack).some((call) => pattern.test(call))) {
      if (Date.now() > deadline) throw new Error(`no kayobe call matching ${pattern} started within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
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
    const configPath = this.file("samples/kayobe-config/etc/kayobe");
    const workDir = this.file(`.kayobe-upgrade/${stack}`);
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
