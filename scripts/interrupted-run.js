#!/usr/bin/env node
// Before `pulumi up`, what a run killed outright (kill -9 of the CLI, an OOM kill, a lost
// machine) left in a local file backend is resolved, so that the operator needs no
// `pulumi cancel` or state surgery:
// - the stack's lock, when the CLI that took it on this host is gone;
// - the operations it left pending, once no run holds the lock: each such step runs again
//   (the kayobe lock, resources/executor/step-lock.ts, keeps it from running beside what
//   is left of the old run, and its record tells what was interrupted).
// Usage: interrupted-run.js PULUMI_CLI STACK   (the stack as the command names it, or "")
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync } = require("child_process");

const PROJECT = "kayobe-upgrade";
const [cli, named] = process.argv.slice(2);
const backend = process.env.PULUMI_BACKEND_URL || "";
if (!backend.startsWith("file://")) process.exit(0);
const root = path.join(backend.slice("file://".length).split("?")[0], ".pulumi");
const pulumi = (args, input) => execFileSync(cli, [...args, "--non-interactive"], { input, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
const stack = named || pulumi(["stack", "--show-name"]).trim();
const say = (text) => process.stderr.write(`kayobe-upgrade: ${text}\n`);

/** Whether `pid` on this host is a running Pulumi CLI. */
function isPulumi(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "pulumi";
  } catch {
    return false;
  }
}

const lockDir = path.join(root, "locks", "organization", PROJECT, stack);
let held = false;
// The file backend keeps a .attrs file beside some files: only the .json ones are locks.
for (const name of fs.existsSync(lockDir) ? fs.readdirSync(lockDir).filter((n) => n.endsWith(".json")) : []) {
  const file = path.join(lockDir, name);
  let lock;
  try {
    lock = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    held = true;
    continue;
  }
  if (lock.hostname === os.hostname() && !isPulumi(lock.pid)) {
    say(`stack ${stack}: the run that locked it (pid ${lock.pid}, ${lock.timestamp}) is gone; taking its lock over`);
    fs.rmSync(file, { force: true });
  } else held = true;
}
if (held) process.exit(0);

const stateFile = path.join(root, "stacks", PROJECT, `${stack}.json`);
if (!fs.existsSync(stateFile)) process.exit(0);
const pending = JSON.parse(fs.readFileSync(stateFile, "utf8")).checkpoint?.latest?.pending_operations ?? [];
if (pending.length === 0) process.exit(0);
const exported = JSON.parse(pulumi(["stack", "export", "--stack", stack]));
const steps = (exported.deployment.pending_operations ?? []).map((op) => `${op.resource.urn.split("::").pop()} (${op.type})`);
delete exported.deployment.pending_operations;
// Through stdin: no copy of the state left in a file if this is killed too.
pulumi(["stack", "import", "--stack", stack], JSON.stringify(exported));
say(`stack ${stack}: an interrupted run left ${steps.join(", ")} pending: run again now`);
