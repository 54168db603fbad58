// A throwaway copy of the project with its own file backend (or a backend given in its
// environment), on which the tests run the real Pulumi engine through bin/pulumi, as an
// operator would.
import * as assert from "assert";
import { ChildProcess, spawn, SpawnOptions, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const PROJECT = path.resolve(__dirname, "..", "..");
export const REAL_KAYOBE = ".kayobe-upgrade/kayobe-16.8.0";
/** The same of 2023.1, which reads the source release's configuration and checks the Prerequisites. */
export const REAL_KAYOBE_2023_1 = ".kayobe-upgrade/kayobe-14.5.0";
/** The sample site's kayobe-config repository the shipped stacks point at (scripts/sample-kayobe-config.sh). */
export const SAMPLE_SITE = ".kayobe-upgrade/sample-kayobe-config";
const COPIED = [".gitignore", "Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.production.yaml", "package.json", "tsconfig.json", "index.ts", "resources", "samples", "simulator", "engine", "bin", "scripts"];

export interface JournalEntry {
  event: "start" | "end" | "refused";
  /** Set by the simulator's stand-ins for other tools than kayobe (pip). */
  program?: string;
  argv: string[];
  /** Where kayobe ran (start events). */
  cwd?: string;
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
  /** Settles as `pulumi` does: its result, or an error unless it ended as expected. */
  result: Promise<Result>;
}

export interface WorkspaceOptions {
  /** Environment of every pulumi run, e.g. an S3 backend's URL and credentials. */
  env?: Record<string, string>;
  /**
   * Another operator's copy whose path this one takes while pulumi runs (bound there in
   * a private mount namespace), as a second control host laid out like the first: the
   * preflight's fingerprint holds the path of the kayobe it checks against.
   */
  sameLayoutAs?: Workspace;
}

interface RunOptions {
  env?: Record<string, string>;
  expectFailure?: boolean;
  /** Standard input, e.g. a config value too awkward for the command line. */
  input?: string;
}

/**
 * The copies this run made (about 15 MB each): removed once every test has passed, kept
 * when one failed (its logs and state are what to look at) or KAYOBE_UPGRADE_KEEP_E2E is set.
 */
const copies: string[] = [];
let failures = 0;
afterEach(function () {
  if (this.currentTest?.state === "failed") failures++;
});
after(() => {
  if (failures > 0 || process.env.KAYOBE_UPGRADE_KEEP_E2E) return;
  for (const copy of copies) fs.rmSync(copy, { recursive: true, force: true });
});

/** The command a review gate's refusal gives to approve `milestone`'s changes; the digest is its group. */
export function approvalCommand(milestone: string, stack: string): RegExp {
  return new RegExp(`bin/pulumi config set --path 'kayobe-upgrade:approvals\\["${milestone}"\\]' (sha256:[0-9a-f]{16}) --stack ${stack}`);
}

export class Workspace {
  /** Where this copy's files are. */
  readonly root: string;
  /** Where pulumi sees the project: its root, or the path of the copy it stands in for. */
  readonly enginePath: string;
  private readonly backend: string;
  private readonly env: Record<string, string>;

  constructor(options: WorkspaceOptions = {}) {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-upgrade-e2e-"));
    copies.push(top);
    this.root = path.join(top, "project");
    this.backend = path.join(top, "state");
    fs.mkdirSync(this.root);
    fs.mkdirSync(this.backend);
    for (const entry of COPIED) fs.cpSync(path.join(PROJECT, entry), path.join(this.root, entry), { recursive: true });
    fs.symlinkSync(path.join(PROJECT, "node_modules"), path.join(this.root, "node_modules"));
    this.git(this.root, "init", "-q", "-b", "main");
    this.commit("the copy under test");
    this.setUp();
    this.enginePath = options.sameLayoutAs?.root ?? this.root;
    // The record stays in the copy, where the tests look (relative: where pulumi sees the project).
    this.env = { PULUMI_BACKEND_URL: `file://${this.backend}`, KAYOBE_UPGRADE_RECORD: ".kayobe-upgrade", ...options.env };
  }

  /** What setup makes in a checkout, git-ignored: links to the real kayobes the shipped stacks read their configs with and check against (scripts/ensure-kayobe.sh), and the sample site's kayobe-config. */
  setUp(): void {
    fs.mkdirSync(path.join(this.root, ".kayobe-upgrade"), { recursive: true });
    for (const kayobe of [REAL_KAYOBE, REAL_KAYOBE_2023_1]) fs.symlinkSync(fs.realpathSync(path.join(PROJECT, kayobe)), path.join(this.root, kayobe));
    const built = spawnSync("bash", ["scripts/sample-kayobe-config.sh"], { cwd: this.root, encoding: "utf8" });
    if (built.status !== 0) throw new Error(`scripts/sample-kayobe-config.sh in ${this.root}: ${built.stderr}`);
  }

  /** Commits every change of the copy, and of the sample site's kayobe-config on its checked-out branch. */
  commit(message: string): void {
    for (const dir of [this.root, this.kayobeConfig()]) {
      if (!fs.existsSync(dir)) continue;
      this.git(dir, "add", "-A");
      this.git(dir, "-c", "user.name=e2e", "-c", "user.email=e2e@localhost", "commit", "-q", "--allow-empty", "-m", message);
    }
  }

  /** A file of the sample site's kayobe-config checkout (site/2024.1 checked out; site/2023.1 the source release's). */
  kayobeConfig(relative = ""): string {
    return path.join(this.root, SAMPLE_SITE, relative);
  }

  /** Makes a change on the sample site's 2023.1 branch (the shipped stacks' sourceConfigRef) and commits it, as a fix there would be. */
  commitOnSourceBranch(message: string, change: () => void): void {
    this.kayobeConfigGit("checkout", "-q", "site/2023.1");
    try {
      change();
      this.kayobeConfigGit("add", "-A");
      this.kayobeConfigGit("-c", "user.name=e2e", "-c", "user.email=e2e@localhost", "commit", "-q", "--allow-empty", "-m", message);
    } finally {
      this.kayobeConfigGit("checkout", "-q", "site/2024.1");
    }
  }

  /** Runs git in the sample site's kayobe-config repository, returning its output. */
  kayobeConfigGit(...args: string[]): string {
    return this.git(this.kayobeConfig(), ...args);
  }

  private git(cwd: string, ...args: string[]): string {
    // Fixed dates: copies with the same files get the same commits, as clones of one repository do.
    const date = "2026-01-01T00:00:00Z";
    const result = spawnSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")} in ${cwd}: ${result.stderr}`);
    return result.stdout.trim();
  }

  /** Runs bin/pulumi in the copy; throws with its output unless `expectFailure`. */
  pulumi(args: string[], options: RunOptions = {}): Result {
    const [command, argv] = this.pulumiInvocation(args);
    return this.run(command, argv, options);
  }

  /** bin/pulumi, run where pulumi sees the project (bound at another copy's path for `sameLayoutAs`). */
  private pulumiInvocation(args: string[]): [string, string[]] {
    const pulumiArgs = [...args, "--non-interactive"];
    if (this.enginePath === this.root) return [path.join(this.root, "bin", "pulumi"), pulumiArgs];
    const bound = 'src=$0 dst=$1; shift; mount --bind "$src" "$dst" && cd "$dst" && exec "$dst/bin/pulumi" "$@"';
    return ["unshare", ["--mount", "sh", "-c", bound, this.root, this.enginePath, ...pulumiArgs]];
  }

  /**
   * Runs the command a review gate's refusal in `stdout` gives to approve `milestone`'s
   * changes, exactly as printed, as the operator would; returns the digest approved.
   */
  approveAsPrinted(stdout: string, milestone: string, stack: string): string {
    const printed = approvalCommand(milestone, stack).exec(stdout);
    if (printed === null) assert.fail(`no approval command for ${milestone} in:\n${stdout}`);
    this.pulumi(printed[0].split(" ").slice(1).map((word) => word.replace(/^'(.*)'$/, "$1")));
    return printed[1];
  }

  /** Runs `bash scripts/plan.sh STACK` in the copy and returns the plan document and the picture it wrote. */
  plan(stack: string): { document: string; svg: string } {
    const { stdout } = this.run("bash", ["scripts/plan.sh", stack]);
    const [document, svg] = stdout.trim().split("\n").slice(-2);
    assert.deepStrictEqual([document, svg], [this.file(`.kayobe-upgrade/${stack}/upgrade-plan.md`), this.file(`.kayobe-upgrade/${stack}/upgrade-graph.svg`)]);
    return { document: fs.readFileSync(document, "utf8"), svg: fs.readFileSync(svg, "utf8") };
  }

  /** Runs `bin/status ARGS` in the copy. */
  status(args: string[], options: RunOptions = {}): Result {
    return this.run(this.file("bin/status"), args, options);
  }

  private run(command: string, args: string[], options: RunOptions = {}): Result {
    const result = spawnSync(command, args, {
      cwd: this.root,
      input: options.input,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: this.environment(options.env),
    });
    return checked(command, args, { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }, options);
  }

  /**
   * Starts bin/pulumi in a process group of its own, as a terminal runs it: a signal to
   * the group is a Ctrl-C.
   */
  start(args: string[], options: RunOptions = {}): Running {
    const [command, argv] = this.pulumiInvocation(args);
    const spawnOptions: SpawnOptions = { cwd: this.root, env: this.environment(options.env), detached: true, stdio: ["ignore", "pipe", "pipe"] };
    const child = spawn(command, argv, spawnOptions);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr!.on("data", (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
    const result = exited.then((code) => checked(command, argv, { code, stdout, stderr }, options));
    // A test that only awaits `exited` must not see an unhandled rejection.
    result.catch(() => undefined);
    return { child, output: () => stdout + stderr, exited, result };
  }

  environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PULUMI_CONFIG_PASSPHRASE_FILE: path.join(this.enginePath, "samples", "sample.passphrase"),
      ...this.env,
      ...extra,
    };
  }

  /** Resolves once the journal of `stack` shows a kayobe call matching `pattern` started after the first `after` calls. */
  async callStarted(stack: string, pattern: RegExp, after: number, timeoutMs = 300000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.calls(stack).slice(after).some((call) => pattern.test(call))) {
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

  /**
   * The simulator's journal of kayobe calls for a stack (as the shipped stack files place
   * it), less `kayobe configuration dump` and `kayobe --version`, which change nothing.
   */
  journal(stack: string): JournalEntry[] {
    return this.fullJournal(stack).filter((entry) => !isConfigRead(entry));
  }

  private fullJournal(stack: string): JournalEntry[] {
    const file = this.file(`.kayobe-upgrade/${stack}/kayobe-journal.jsonl`);
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as JournalEntry);
  }

  /**
   * Every kayobe call that started, in order, with either side's config path (the
   * checkout's, the source release worktree's) and the stack's scratch folder as
   * $KAYOBE_CONFIG_PATH and $WORK.
   */
  calls(stack: string): string[] {
    const workDir = path.join(this.enginePath, `.kayobe-upgrade/${stack}`);
    const configPaths = [path.join(workDir, "source-kayobe-config/etc/kayobe"), path.join(this.enginePath, SAMPLE_SITE, "etc/kayobe")];
    return this.journal(stack)
      .filter((entry) => entry.event === "start")
      .map((entry) => configPaths.reduce((call, configPath) => call.split(configPath).join("$KAYOBE_CONFIG_PATH"), [...(entry.program ? [entry.program] : []), ...entry.argv].join(" ")).split(workDir).join("$WORK"));
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

/** A call that changes nothing: reading the config, or asking which kayobe it is (each step that calls kayobe asks first). */
function isConfigRead(entry: JournalEntry): boolean {
  return entry.program === undefined && ((entry.argv[0] === "configuration" && entry.argv[1] === "dump") || (entry.argv.length === 1 && entry.argv[0] === "--version"));
}

function checked(command: string, args: string[], outcome: Result, options: RunOptions): Result {
  if ((outcome.code === 0) === Boolean(options.expectFailure)) {
    throw new Error(`${path.basename(command)} ${args.join(" ")} exited ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`);
  }
  return outcome;
}
