// The benchmark's baseline: as many no-op dynamic resources as the upgrade has
// milestones, in its phases and with its dependencies (shape.json, written by the benchmark).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

export interface ShapeNode {
  name: string;
  phase: string;
  dependsOn: string[];
}

const noop: pulumi.dynamic.ResourceProvider = {
  async create() {
    return { id: "done", outs: {} };
  },
};

class Step extends pulumi.dynamic.Resource {
  constructor(name: string, opts: pulumi.CustomResourceOptions) {
    super(noop, name, {}, opts, "bench", "Step");
  }
}

class Group extends pulumi.ComponentResource {
  constructor(name: string) {
    super("bench:Group", name);
    this.registerOutputs({});
  }
}

const shape = JSON.parse(fs.readFileSync(path.join(__dirname, "shape.json"), "utf8")) as ShapeNode[];
const groups = new Map([...new Set(shape.map((node) => node.phase))].map((phase) => [phase, new Group(phase)]));
const declared = new Map<string, Step>();
for (const node of shape) {
  declared.set(node.name, new Step(node.name, { parent: groups.get(node.phase), dependsOn: node.dependsOn.map((name) => declared.get(name)!) }));
}
