import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { judgeLook, readLook } from "../../resources/executor/look";
import { runCommands } from "../../resources/executor/run-commands";
import { renderCommand } from "../../resources/runbook/render";
import type { IfStillToDo } from "../../resources/runbook/phases";

const LOOK = ["kayobe", "overcloud", "host", "command", "run", "-l", "controllers", "-b", "--command", "docker exec rabbitmq rabbitmqctl --version | grep -F 3.11.", "--show-output"];
const UPGRADE: IfStillToDo = {
  kind: "if-still-to-do",
  look: LOOK,
  toDoWhen: "found",
  done: "RabbitMQ past 3.11 on the controllers",
  then: [["kayobe", "kolla", "ansible", "run", "rabbitmq-upgrade 3.12"], { kind: "wait", seconds: 1 }],
};
const MIGRATION: IfStillToDo = { ...UPGRADE, look: ["kayobe", "q"], toDoWhen: "not found", done: "quorum queues on the controllers", then: [["kayobe", "migrate"]] };

/** What kayobe prints for the run-a-command task, as ansible's default callback does: a host's grep matching, or finding nothing (rc 1). */
const matched = (host: string) => `changed: [${host}]`;
const unmatched = (host: string) => `fatal: [${host}]: FAILED! => {"changed": true, "cmd": "docker exec ...", "msg": "non-zero return code", "rc": 1, "stderr": "", "stdout": ""}`;
const output = (...lines: string[]) => ["", "TASK [Run a command] ***", ...lines, "", "PLAY RECAP ***"].join("\n");

describe("looking before acting", () => {
  it("reads each host's answer from kayobe's output: matched, not matched, or broken", () => {
    const text = output(matched("ctl0"), unmatched("ctl1"), `fatal: [ctl2]: UNREACHABLE! => {"changed": false, "msg": "timed out", "unreachable": true}`, `fatal: [ctl3]: FAILED! => {"rc": 127, "msg": "non-zero return code"}`, 'ok: [ctl0] => {"msg": "3.11.28"}');
    assert.deepStrictEqual(readLook(text), { found: ["ctl0"], notFound: ["ctl1"], broken: ["ctl2", "ctl3"] });
  });

  it("runs what is still to do, and records what was found done", () => {
    assert.deepStrictEqual(judgeLook(UPGRADE, 0, output(matched("ctl0"), matched("ctl1"))), { toDo: true, decision: "still to do: found on ctl0, ctl1" });
    assert.deepStrictEqual(judgeLook(UPGRADE, 2, output(unmatched("ctl0"), unmatched("ctl1"))), { toDo: false, decision: "found done: RabbitMQ past 3.11 on the controllers (ctl0, ctl1)" });
    assert.deepStrictEqual(judgeLook(MIGRATION, 2, output(unmatched("ctl0"))), { toDo: true, decision: "still to do: not found on ctl0" });
    assert.deepStrictEqual(judgeLook(MIGRATION, 0, output(matched("ctl0"))), { toDo: false, decision: "found done: quorum queues on the controllers (ctl0)" });
  });

  it("settles nothing on hosts that disagree, fail otherwise, or an exit code that is not ansible's answer", () => {
    assert.deepStrictEqual(judgeLook(UPGRADE, 2, output(matched("ctl0"), unmatched("ctl1"))), { refusal: "the hosts disagree: found on ctl0, not on ctl1; bring them to one state by hand, then run again" });
    assert.deepStrictEqual(judgeLook(UPGRADE, 4, output(unmatched("ctl0"), `fatal: [ctl1]: UNREACHABLE! => {"unreachable": true}`)), { refusal: "exited with code 4, failing on ctl1 otherwise than by finding nothing: the look settles nothing" });
    assert.deepStrictEqual(judgeLook(UPGRADE, 1, "ERROR! Specified inventory, host pattern and/or --limit leaves us with no hosts to target."), { refusal: "exited with code 1 with no host's answer: the look settles nothing" });
    assert.deepStrictEqual(judgeLook(UPGRADE, 2, output(matched("ctl0"))), { refusal: "exited with code 2 with answers from ctl0: the look settles nothing" });
  });

  it("renders as StackHPC's upgrade-prerequisites.sh reads", () => {
    assert.strictEqual(
      renderCommand(UPGRADE),
      'if kayobe overcloud host command run -l controllers -b --command "docker exec rabbitmq rabbitmqctl --version | grep -F 3.11." --show-output; then kayobe kolla ansible run "rabbitmq-upgrade 3.12"; sleep 1; fi',
    );
    assert.strictEqual(renderCommand(MIGRATION), "if ! kayobe q; then kayobe migrate; fi");
  });
});

describe("the executor looking before acting", () => {
  /** A kayobe whose look answers as $ANSWER says (one line per host: + matched, - not matched) and that journals every call. */
  function setup(answer: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "look-"));
    const bin = path.join(dir, "kayobe");
    fs.writeFileSync(
      bin,
      `#!/bin/sh
[ "$1" = --version ] && { echo "kayobe 14.5.0"; exit 0; }
printf '%s\\n' "$*" >> "${dir}/calls"
case "$1" in overcloud) ;; *) exit 0;; esac
rc=0
for h in ${answer}; do
  case "$h" in +*) echo "changed: [\${h#+}]";; *) echo 'fatal: ['"\${h#-}"']: FAILED! => {"rc": 1, "msg": "non-zero return code"}'; rc=2;; esac
done
exit $rc
`,
      { mode: 0o755 },
    );
    const execution = { kayobeBin: bin, kayobeConfigPath: "/k", kayobeEnv: {}, cwd: dir, workingDir: dir, logDir: path.join(dir, "logs"), scratchDir: dir, timeoutSeconds: 60, release: "2023.1" };
    const calls = () => fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");
    return { execution, calls };
  }
  const secrets = { vaultPassword: "pw", env: {} };
  const lookCall = LOOK.slice(1).join(" ");

  it("runs what follows the look, the wait included, when the old version is found", async () => {
    const { execution, calls } = setup("+ctl0 +ctl1");
    const run = await runCommands("m", [UPGRADE], execution, secrets, { report: () => undefined });
    assert.deepStrictEqual(calls(), [lookCall, "kolla ansible run rabbitmq-upgrade 3.12"]);
    assert.deepStrictEqual(
      run.commands.map((c) => [c.command, c.exitCode, c.decision]),
      [
        [renderCommand(LOOK), 0, "still to do: found on ctl0, ctl1"],
        ['kayobe kolla ansible run "rabbitmq-upgrade 3.12"', 0, undefined],
        ["sleep 1", 0, undefined],
      ],
    );
    assert.deepStrictEqual(run.foundDone, []);
  });

  it("runs nothing more, not even the wait, when the cloud is already there, and says so", async () => {
    const { execution, calls } = setup("-ctl0 -ctl1");
    const run = await runCommands("m", [UPGRADE], execution, secrets, { report: () => undefined });
    assert.deepStrictEqual(calls(), [lookCall]);
    assert.deepStrictEqual(
      run.commands.map((c) => [c.command, c.exitCode, c.decision]),
      [[renderCommand(LOOK), 2, "found done: RabbitMQ past 3.11 on the controllers (ctl0, ctl1)"]],
    );
    assert.deepStrictEqual(run.foundDone, ["RabbitMQ past 3.11 on the controllers"]);
    assert.match(fs.readFileSync(run.log, "utf8"), /^\[found done: RabbitMQ past 3\.11 on the controllers \(ctl0, ctl1\)\]$/m);
  });

  it("stops the milestone when the controllers disagree, naming them", async () => {
    const { execution, calls } = setup("+ctl0 -ctl1");
    await assert.rejects(runCommands("m", [UPGRADE], execution, secrets, { report: () => undefined }), (err: Error) => {
      assert.strictEqual(err.message.split(". Full output: ")[0], `${renderCommand(LOOK)}: the hosts disagree: found on ctl0, not on ctl1; bring them to one state by hand, then run again`);
      return true;
    });
    assert.deepStrictEqual(calls(), [lookCall]);
  });
});
