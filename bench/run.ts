// The benchmark (bench/README.md): runs the compared commands side by side, in turns,
// and writes the raw figures to bench/results.json and the report to bench/REPORT.md.
import { execSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { MilestoneOutputs } from "../resources/provider/milestone";
import { expectedCalls } from "../tests/e2e/expected-calls";
import { criticalPath } from "./critical-path";
import { gapsBetweenSteps } from "./gaps";
import { Measurement, measure } from "./measure";
import { BenchProject, Variant } from "./project";
import { writeReport } from "./report";

const args = new Map(process.argv.slice(2).map((arg) => arg.replace(/^--/, "").split("=") as [string, string]));
const SIZES = (args.get("sizes") ?? "10,100,1000").split(",").map(Number);
const REPEAT = Number(args.get("repeat") ?? 3);
/** Repetitions at 100 hosts and more, where a run takes minutes. */
const REPEAT_LARGE = Number(args.get("repeat-large") ?? 3);
/**
 * Hypervisors per batch in the full runs at 1,000 hosts and more: one by one, the
 * simulator alone takes most of an hour there. Their preview keeps batches of 1.
 */
const LARGE_BATCH = Number(args.get("large-batch") ?? 10);
const REPEAT_CRITICAL = Number(args.get("repeat-critical") ?? 1);
const SLEEP = Number(args.get("sleep") ?? 10);
const PARALLEL = 8;
/** The calls given a duration in the critical-path runs: the long ones of a real upgrade. */
const SLEEP_MATCH = "host package update|service upgrade|host upgrade";

type Runner = () => Promise<Measurement>;

/** Runs the runners in turns, rotating who goes first, `times` times. */
async function inTurns<K extends string>(runners: Record<K, Runner>, times: number): Promise<Record<K, Measurement[]>> {
  const names = Object.keys(runners) as K[];
  const results = Object.fromEntries(names.map((name) => [name, []])) as unknown as Record<K, Measurement[]>;
  for (let round = 0; round < times; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      results[name].push(await runners[name]());
      console.error(`  ${name}: ${results[name].at(-1)!.seconds.toFixed(2)} s, ${results[name].at(-1)!.peakMiB.toFixed(0)} MiB`);
    }
  }
  return results;
}

function pulumi(project: BenchProject, argv: string[], env: Record<string, string> = {}): Promise<Measurement> {
  return measure([project.ws.file("bin/pulumi"), ...argv, "--non-interactive"], { cwd: project.ws.root, env: project.ws.environment(env) });
}

function stateBytes(project: BenchProject, pulumiProject: string, stack: string): number {
  const state = path.join(project.ws.root, "..", "state", ".pulumi", "stacks", pulumiProject, `${stack}.json`);
  return fs.statSync(state).size;
}

/** Preview and a full run of a stack of `overcloudHosts`, each beside its baseline. */
async function scale(overcloudHosts: number) {
  const times = overcloudHosts >= 100 ? REPEAT_LARGE : REPEAT;
  const previewed = await previews({ overcloudHosts, hypervisorBatchSize: 1, parallelPhases: false }, times);
  const ran = await fullRuns({ overcloudHosts, hypervisorBatchSize: overcloudHosts >= 1000 ? LARGE_BATCH : 1, parallelPhases: false }, times);
  return { overcloudHosts, preview: previewed, up: ran };
}

/** The upgrade's preview beside the baseline's. */
async function previews(variant: Variant, times: number) {
  console.error(`preview: ${variant.overcloudHosts} overcloud hosts, hypervisorBatchSize ${variant.hypervisorBatchSize}`);
  const project = new BenchProject(variant);
  const milestones = project.plan("$WORK").length;
  const stack = project.newStack();
  const trivialStack = project.newTrivialStack();
  const preview = await inTurns(
    {
      preview: () => pulumi(project, ["preview", "--stack", stack]),
      trivialPreview: () => pulumi(project, ["-C", "bench/trivial", "preview", "--stack", trivialStack]),
    },
    times,
  );
  project.dispose();
  return { ...variant, milestones, ...preview };
}

/** The upgrade's full run beside the baseline's and beside a shell loop of the same calls. */
async function fullRuns(variant: Variant, times: number) {
  console.error(`up: ${variant.overcloudHosts} overcloud hosts, hypervisorBatchSize ${variant.hypervisorBatchSize}`);
  const project = new BenchProject(variant);
  const plan = project.plan("$WORK");
  const states: number[] = [];
  const startups: number[] = [];
  const meanGaps: number[] = [];
  const up = await inTurns(
    {
      up: async () => {
        const fresh = project.newStack();
        const started = Date.now();
        const result = await pulumi(project, ["up", "--yes", "--skip-preview", "--stack", fresh]);
        states.push(stateBytes(project, "kayobe-upgrade", fresh));
        const steps = [...commandsRun(project, fresh).values()].map((ran) => ran.map((c) => ({ start: Date.parse(c.startedAt), end: Date.parse(c.endedAt) })));
        startups.push((Math.min(...steps.flat().map((c) => c.start)) - started) / 1000);
        const gaps = gapsBetweenSteps(steps);
        meanGaps.push(gaps.reduce((a, b) => a + b, 0) / gaps.length / 1000);
        return result;
      },
      trivialUp: () => pulumi(project, ["-C", "bench/trivial", "up", "--yes", "--skip-preview", "--stack", project.newTrivialStack()]),
      shellLoop: () => {
        const loop = project.writeShellLoop(`loop-${Date.now()}`);
        return measure(["bash", loop], { cwd: project.ws.root, env: process.env });
      },
    },
    times,
  );
  project.dispose();
  return { ...variant, milestones: plan.length, kayobeCalls: expectedCalls(plan).length, stateBytes: states, startupSeconds: startups, meanGapSeconds: meanGaps, ...up };
}

type Ran = MilestoneOutputs["commandsRun"];

/** Each milestone's commands in a finished stack, as its state records them. */
function commandsRun(project: BenchProject, stack: string): Map<string, Ran> {
  const state = JSON.parse(project.ws.exportState(stack)) as { deployment: { resources: { outputs?: Partial<MilestoneOutputs> }[] } };
  return new Map(state.deployment.resources.flatMap(({ outputs }) => (outputs?.milestone && outputs.commandsRun ? [[outputs.milestone, outputs.commandsRun]] : [])));
}

/** How long each milestone's commands took in a finished stack. */
function stepSeconds(project: BenchProject, stack: string): Map<string, number> {
  const took = (c: Ran[number]) => (Date.parse(c.endedAt) - Date.parse(c.startedAt)) / 1000;
  return new Map([...commandsRun(project, stack)].map(([milestone, ran]) => [milestone, ran.map(took).reduce((a, b) => a + b, 0)]));
}

/**
 * Runs whose steps take time, against the shortest time their graph allows: the critical
 * path under --parallel, each step as long as its commands took in that very run.
 */
async function criticalPathRun(parallelPhases: boolean) {
  console.error(`critical path, parallelPhases ${parallelPhases}`);
  const project = new BenchProject({ overcloudHosts: 10, hypervisorBatchSize: 1, parallelPhases });
  const plan = project.plan("$WORK");
  const env = { KAYOBE_SIM_SLEEP: String(SLEEP), KAYOBE_SIM_SLEEP_MATCH: SLEEP_MATCH };
  const runs: (Measurement & { criticalPathSeconds: number })[] = [];
  for (let i = 0; i < REPEAT_CRITICAL; i++) {
    const stack = project.newStack();
    const run = await pulumi(project, ["up", "--yes", "--skip-preview", "--parallel", String(PARALLEL), "--stack", stack], env);
    const took = stepSeconds(project, stack);
    runs.push({ ...run, criticalPathSeconds: criticalPath(plan.map((m) => ({ name: m.name, dependsOn: m.dependsOn, seconds: took.get(m.name)! })), PARALLEL) });
    console.error(`  up: ${run.seconds.toFixed(2)} s, critical path ${runs.at(-1)!.criticalPathSeconds.toFixed(2)} s`);
  }
  project.dispose();
  return { parallelPhases, parallel: PARALLEL, sleepSeconds: SLEEP, sleepMatch: SLEEP_MATCH, milestones: plan.length, runs };
}

function machine() {
  const cli = execSync("bin/pulumi version", { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  return { nproc: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), cpu: os.cpus()[0].model, node: process.version, pulumi: cli, sdk: require("@pulumi/pulumi/package.json").version as string };
}

/**
 * Puts the simulator's interpreter first on PATH, for the runs and the shell loop alike,
 * as a virtualenv's kayobe names its interpreter in its shebang. Through a version
 * manager's shim (pyenv's adds about 80 ms per call here) every call on both sides
 * costs more and varies more, and that noise swamped the difference measured.
 */
function interpreterFirstOnPath(): void {
  const python = execSync(`python3 -c 'import sys; print(sys.executable)'`, { encoding: "utf8" }).trim();
  process.env.PATH = `${path.dirname(python)}${path.delimiter}${process.env.PATH}`;
}

async function main() {
  interpreterFirstOnPath();
  const started = new Date().toISOString();
  const loadBefore = os.loadavg();
  const scales = [];
  for (const overcloudHosts of SIZES) scales.push(await scale(overcloudHosts));
  const critical = [await criticalPathRun(false), await criticalPathRun(true)];
  const results = { started, finished: new Date().toISOString(), machine: machine(), load: { before: loadBefore, after: os.loadavg() }, scales, critical };
  fs.writeFileSync(path.join(__dirname, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeReport(results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
