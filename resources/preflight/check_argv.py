"""Checks kayobe command lines against the installed kayobe's own parser, running none.

Run with the Python of kayobe's virtualenv. stdin: a JSON list of argvs, each without
the leading `kayobe`. stdout: {"kayobe": version, "results": [...]}, one result per
argv: {"command": the command's words or null, "error": why kayobe refuses it or null,
"warnings": [...], "playbooks": the playbook paths it names}. With `--commands`, stdin
is ignored and stdout is {"kayobe": version, "commands": every command's words}.

It does what cliff's App.run does up to the command's parse_args (global options,
command lookup, the command's parser), then stops.
"""

import contextlib
import io
import json
import sys

from kayobe import version
from kayobe.cmd.kayobe import KayobeApp


def check(app, argv):
    result = {"command": None, "error": None, "warnings": [], "playbooks": []}
    parsed = parse(app.parser.parse_known_args, argv)
    if isinstance(parsed, str):
        result["error"] = parsed
        return result
    global_opts, rest = parsed
    if global_opts.deferred_help:
        # As cliff does: `kayobe -h WORDS...` is `kayobe help WORDS...`.
        rest = ["help"] + rest
    if not rest:
        result["error"] = "no command: kayobe would open its interactive shell"
        return result
    try:
        factory, name, sub_argv = app.command_manager.find_command(rest)
    except ValueError:
        result["error"] = "'%s' is not a kayobe command" % " ".join(rest)
        return result
    # cliff answers with the words as typed, which may be abbreviated.
    result["command"] = next((n for n, ep in app.command_manager if ep.load() is factory), name)
    parser = factory(app, global_opts).get_parser("kayobe " + name)
    stderr = io.StringIO()
    parsed = parse(parser.parse_args, sub_argv, stderr)
    if isinstance(parsed, str):
        result["error"] = parsed
        return result
    if name == "help":
        result["error"] = "only prints help or the version: runs nothing"
        return result
    result["warnings"] = deprecations(parser, sub_argv, stderr.getvalue())
    result["playbooks"] = list(getattr(parsed, "playbook", None) or [])
    return result


def parse(parse_args, argv, stderr=None):
    """parse_args' result, or why argparse stopped: its error line (it exits 2), or a
    note that the call only prints (--help, --version)."""
    stderr = stderr or io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            return parse_args(argv)
    except SystemExit as e:
        lines = stderr.getvalue().strip().splitlines()
        return lines[-1] if e.code and lines else "only prints help or the version: runs nothing"


def deprecations(parser, argv, stderr):
    """Options the parser marks deprecated (argparse's `deprecated`, Python 3.13+, or
    the help text), and warnings the parser printed."""
    found = [line.strip() for line in stderr.splitlines() if "warning" in line.lower()]
    for arg in argv:
        action = parser._option_string_actions.get(arg.split("=", 1)[0])
        if action is None:
            continue
        marked = getattr(action, "deprecated", False) or "deprecated" in (action.help or "").lower()
        message = "option %s is deprecated" % arg.split("=", 1)[0]
        if marked and not any(arg.split("=", 1)[0] in line for line in found):
            found.append(message)
    return found


def main():
    sys.argv[0] = "kayobe"  # the program name in argparse's messages
    app = KayobeApp()
    release = version.version_info.release_string()
    if sys.argv[1:] == ["--commands"]:
        names = sorted(name for name, _ in app.command_manager)
        json.dump({"kayobe": release, "commands": names}, sys.stdout)
        return
    argvs = json.load(sys.stdin)
    json.dump({"kayobe": release, "results": [check(app, argv) for argv in argvs]}, sys.stdout)


if __name__ == "__main__":
    main()
