// A throwaway copy of the project with its own file backend, on which the tests run the
// real Pulumi engine through bin/pulumi, as an operator would.
import * as assert from "assert";
import { spawnSync } from "child_process";
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

interface RunOptions {
  env?: Record<string, string>;
  expectFailure?: boolean;
  /** Standard input, e.g. a config value too awkward for the command line. */
  input?: string;
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
  }

  /** Runs bin/pulumi in the copy; throws with its output unless `expectFailure`. */
  pulumi(args: string[], options: RunOptions = {}): Result {
    return this.run(path.join(this.root, "bin", "pulumi"), [...args, "--non-interactive"], options);
  }

  /** Runs `bash scripts/plan.sh STACK` in the copy and returns the plan document and the picture it wrote. */
  plan(stack: string): { document: string; svg: string } {
    const { stdout } = this.run("bash", ["scripts/plan.sh", stack]);
    const [document, svg] = stdout.trim().split("\n").slice(-2);
    assert.deepStrictEqual([document, svg], [this.file(`.kayobe-upgrade/${stack}/upgrade-plan.md`), this.file(`.kayobe-upgrade/${stack}/upgrade-graph.svg`)]);
    return { document: fs.readFileSync(document, "utf8"), svg: fs.readFileSync(svg, "utf8") };
  }

  private run(command: string, args: string[], options: RunOptions = {}): Result {
    const result = spawnSync(command, args, {
      cwd: this.root,
      input: options.input,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: {
        ...process.env,
        PULUMI_BACKEND_URL: `file://${this.backend}`,
        PULUMI_CONFIG_PASSPHRASE_FILE: path.join(this.root, "samples", "sample.passphrase"),
        ...options.env,
      },
    });
    const outcome = { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    if ((outcome.code === 0) === Boolean(options.expectFailure)) {
      throw new Error(`${path.basename(command)} ${args.join(" ")} exited ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`);
    }
    return outcome;
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
