// How a command reads for an operator: as the runbook writes it, or as one would type it.
// Used for logs, the plan, the status page and the goal's digest alike.
import type { Command } from "./phases";

/** Shell-like rendering of argv, for logs and messages (never executed through a shell). */
export function renderArgv(argv: string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./$\[\]-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, "\\$1")}"`)).join(" ");
}

/** A command as an operator would type it or read it in the runbook. */
export function renderCommand(command: Command): string {
  if (Array.isArray(command)) return renderArgv(command);
  switch (command.kind) {
    case "reboot-if-required":
      return `${renderArgv(command.reboot)}  # only if ${renderArgv(command.check)} reports a reboot is required`;
    case "refuse-nodes-in-wait-state":
      return `${renderArgv(command.argv)}  # no node's Provisioning State may be a wait state`;
    case "fix-up-paths":
      return `cd ${command.dir}; for i in *; do mv $i/tmp $i/etc; done`;
    case "diff":
      return `diff -ru ${command.old} ${command.new} > ${command.output}`;
    case "remove":
      return `rm -rf ${command.path}`;
    case "preflight":
      return `preflight: the ${command.side} release's (${command.release}) commands of the plan checked against ${command.kayobeBin}, none run`;
    case "ssh":
      return `ssh -p ${command.port} ${command.destination} '${renderArgv(command.argv).replace(/'/g, "'\\''")}'`;
    case "with-openrc":
      return `. $KOLLA_CONFIG_PATH/${command.openrc} && ${renderArgv(command.argv)}`;
    case "if-still-to-do":
      return `if ${command.toDoWhen === "found" ? "" : "! "}${renderArgv(command.look)}; then ${command.then.map(renderCommand).join("; ")}; fi`;
    case "wait":
      return `sleep ${command.seconds}`;
    case "until-healthy":
      return `until ${command.checks.map((check) => renderArgv(check.argv)).join(" && ")}; do sleep ${command.intervalSeconds}; done  # after ${command.host}, at most ${command.attempts} times`;
  }
}
