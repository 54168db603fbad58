#!/usr/bin/env node
// Before `pulumi up`, what a run killed outright (kill -9 of the CLI, an OOM kill, a lost
// machine) left in a local file backend is resolved, so that the operator needs no
// `pulumi cancel` or state surgery:
// - the stack's lock, when the CLI that took it on this host is gone;
// - the operations it left pending, once no run holds the lock: each such step runs again
//   (the kayobe lock, resources/executor/step-lock.ts, keeps it from running beside what
//   is left of the old run, and its record tells what was interrupted);
// and, before any command that reads the stack, what a full disk left:
// - the stack's state file cut short (the backend rewrites it in place): the last good
//   checkpoint, which the backend keeps as <stack>.json.bak, is put back, the cut file kept
//   aside; the step whose record was being written when the disk filled runs again;
// - a lock's temporary file left empty, which Pulumi would read as a lock on every command.
// Either would otherwise stop every command at "unexpected end of JSON input".
// Usage: interrupted-run.js PULUMI_CLI STACK COMMAND   (the stack as the command names it, or "")
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync } = require("child_process");

const PROJECT = "kayobe-upgrade";
const [cli, named, command] = process.argv.slice(2);
const backend = process.env.PULUMI_BACKEND_URL || "";
if (!backend.startsWith("file://")) process.exit(0);
const root = path.join(backend.slice("file://".length).split("?")[0], ".pulumi");
const pulumi = (args, input) => execFileSync(cli, [...args, "--non-interactive"], { input, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
/** The stack named, else the selected one; none selected: Pulumi itself says so. */
function stackName() {
  if (named) return named;
  try {
    return pulumi(["stack", "--show-name"]).trim();
  } catch {
    process.exit(0);
  }
}
const stack = stackName();
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
const stateFile = path.join(root, "stacks", PROJECT, `${stack}.json`);

function parses(file) {
  try {
    JSON.parse(fs.readFileSync(file, "utf8"));
    return true;
  } catch {
    return false;
  }
}

if (fs.existsSync(stateFile) && !parses(stateFile)) {
  const backup = `${stateFile}.bak`;
  if (!fs.existsSync(backup) || !parses(backup)) {
    say(`stack ${stack}: its state file ${stateFile} is cut short or damaged (a full disk?), and there is no good ${backup} to put back: nothing runs. Restore the state from a backup of ${root}, or export it from where it was copied`);
    process.exit(2);
  }
  const aside = `${stateFile}.cut-short-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  fs.renameSync(stateFile, aside);
  fs.copyFileSync(backup, stateFile);
  say(`stack ${stack}: its state file was cut short (a full disk?): put back the last good checkpoint, ${backup} (the cut one is kept as ${aside}); a step whose record was being written then runs again`);
}
// The backend writes a lock aside and renames it in: one left empty did not get written.
for (const name of fs.existsSync(lockDir) ? fs.readdirSync(lockDir).filter((n) => n.endsWith(".tmp")) : []) {
  const file = path.join(lockDir, name);
  if (!parses(file) && Date.now() - fs.statSync(file).mtimeMs > 10000) {
    fs.rmSync(file, { force: true });
    say(`stack ${stack}: removed a lock file whose writing failed (a full disk?): ${file}`);
  }
}
if (command !== "up" && command !== "update") process.exit(0);

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

if (!fs.existsSync(stateFile)) process.exit(0);
const pending = JSON.parse(fs.readFileSync(stateFile, "utf8")).checkpoint?.latest?.pending_operations ?? [];
if (pending.length === 0) process.exit(0);
const exported = JSON.parse(pulumi(["stack", "export", "--stack", stack]));
const steps = (exported.deployment.pending_operations ?? []).map((op) => `${op.resource.urn.split("::").pop()} (${op.type})`);
delete exported.deployment.pending_operations;
// Through stdin: no copy of the state left in a file if this is killed too.
pulumi(["stack", "import", "--stack", stack], JSON.stringify(exported));
say(`stack ${stack}: an interrupted run left ${steps.join(", ")} pending: run again now`);
