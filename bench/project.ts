// A throwaway copy of the project (tests/e2e/workspace.ts) holding a generated
// kayobe-config of a given size, the baseline project, and the upgrade's calls as a
// shell loop would run them.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Milestone } from "../resources/runbook/plan";
import { argvOf, planOf } from "../tests/e2e/expected-calls";
import { Workspace } from "../tests/e2e/workspace";
import { inventoryHosts } from "./inventory";
import { ShapeNode } from "./trivial/index";

export interface Variant {
  overcloudHosts: number;
  hypervisorBatchSize: number;
  parallelPhases: boolean;
}

const TRIVIAL = path.join(__dirname, "trivial");

export class BenchProject {
  readonly ws = new Workspace();
  readonly configPath = this.ws.file("bench-config/etc/kayobe");
  private stacks = 0;

  constructor(readonly variant: Variant) {
    fs.cpSync(this.ws.file("samples/kayobe-config"), this.ws.file("bench-config"), { recursive: true });
    // The generated hosts replace the staging environment's whole inventory.
    const inventory = path.join(this.configPath, "environments/staging/inventory");
    fs.rmSync(inventory, { recursive: true });
    fs.mkdirSync(inventory);
    fs.writeFileSync(path.join(inventory, "hosts"), inventoryHosts(variant.overcloudHosts));
    fs.cpSync(TRIVIAL, this.ws.file("bench/trivial"), { recursive: true });
    const shape: ShapeNode[] = this.plan("$WORK").map(({ name, phase, dependsOn }) => ({ name, phase, dependsOn }));
    fs.writeFileSync(this.ws.file("bench/trivial/shape.json"), JSON.stringify(shape));
    // The upgrade refuses a kayobe-config with uncommitted changes.
    this.ws.commit(`a kayobe-config of ${variant.overcloudHosts} overcloud hosts`);
  }

  /** The plan the program declares for a stack whose scratch folder is `workDir`. */
  plan(workDir: string): Milestone[] {
    const { hypervisorBatchSize, parallelPhases } = this.variant;
    return planOf(this.ws.root, { kayobeConfigPath: this.configPath, workDir, hypervisorBatchSize, parallelPhases });
  }

  /** A new stack of the upgrade, configured like the shipped staging stack but for the generated kayobe-config. */
  newStack(): string {
    const stack = `bench-${++this.stacks}`;
    const config = YAML.parse(fs.readFileSync(this.ws.file("Pulumi.staging.yaml"), "utf8")) as { config: Record<string, unknown> };
    Object.assign(config.config, {
      "kayobe-upgrade:kayobeConfigPath": "bench-config/etc/kayobe",
      "kayobe-upgrade:kayobeEnv": { KAYOBE_SIM_JOURNAL: this.journal(stack) },
      "kayobe-upgrade:hypervisorBatchSize": String(this.variant.hypervisorBatchSize),
      "kayobe-upgrade:parallelPhases": String(this.variant.parallelPhases),
    });
    fs.writeFileSync(this.ws.file(`Pulumi.${stack}.yaml`), YAML.stringify(config));
    this.ws.pulumi(["stack", "init", stack]);
    return stack;
  }

  /** A new stack of the baseline project. */
  newTrivialStack(): string {
    const stack = `trivial-${++this.stacks}`;
    this.ws.pulumi(["-C", "bench/trivial", "stack", "init", stack]);
    return stack;
  }

  /** Removes the copy, its stacks and their logs. */
  dispose(): void {
    fs.rmSync(path.dirname(this.ws.root), { recursive: true, force: true });
  }

  journal(stack: string): string {
    return `.kayobe-upgrade/${stack}/kayobe-journal.jsonl`;
  }

  /**
   * A bash loop running, one after the other, the commands `pulumi up` runs for the
   * plan (the simulator standing in for kayobe), as kayobe-automation would.
   */
  writeShellLoop(name: string): string {
    const work = this.ws.file(`.kayobe-upgrade/${name}`);
    const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
    const lines = this.plan(work).flatMap((m) => m.commands.flatMap((c) => argvOf(c)));
    // kayobe is the simulator, and other programs relative to the project are found there, as the executor does.
    const program = (arg: string) => (arg === "kayobe" ? this.ws.file("simulator/kayobe") : arg.includes("/") && !path.isAbsolute(arg) ? this.ws.file(arg) : arg);
    const resolved = lines.map(([first, ...rest]) => [program(first), ...rest].map((arg) => arg.split("$KAYOBE_CONFIG_PATH").join(this.configPath)).map(quote).join(" "));
    fs.mkdirSync(work, { recursive: true });
    fs.writeFileSync(path.join(work, "calls"), resolved.map((line) => `${line}\n`).join(""));
    const script = [
      "#!/usr/bin/env bash",
      // As an operator would: in the checkout, with its kayobe-env sourced.
      `cd ${quote(path.resolve(this.configPath, "..", ".."))} && source kayobe-env --environment staging >/dev/null`,
      `export KAYOBE_VAULT_PASSWORD=sample-vault-password-staging KAYOBE_SIM_JOURNAL=${quote(this.journal(name))}`,
      `export PATH=${quote(this.ws.file("simulator"))}:$PATH`,
      `while IFS= read -r call; do eval "$call" >>${quote(`${work}/loop.log`)} 2>&1 || true; done <${quote(`${work}/calls`)}`,
      "",
    ].join("\n");
    fs.writeFileSync(path.join(work, "loop.sh"), script, { mode: 0o755 });
    return path.join(work, "loop.sh");
  }
}
