"""The simulator's answer to check_argv.py's question (resources/preflight): does it
accept each argv, and as which command? Same JSON on stdin and stdout, same
`--commands`, so the tests can put both to the same argvs."""

import contextlib
import io
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "simulator"))

import sim_cli  # noqa: E402
import sim_surface  # noqa: E402


def check(argv):
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            parsed = sim_cli.parse(argv)
    except SystemExit as e:
        lines = stderr.getvalue().strip().splitlines()
        return {"command": None, "error": lines[-1] if e.code and lines else "only prints help or the version"}
    except sim_cli.Exit:
        return {"command": None, "error": "not a kayobe command"}
    if isinstance(parsed, int):
        return {"command": None, "error": "only prints help or the version"}
    return {"command": parsed[0].words, "error": None}


if sys.argv[1:] == ["--commands"]:
    json.dump({"kayobe": sim_surface.KAYOBE_VERSION, "commands": sorted(sim_cli.command_names())}, sys.stdout)
else:
    json.dump({"kayobe": sim_surface.KAYOBE_VERSION, "results": [check(argv) for argv in json.load(sys.stdin)]}, sys.stdout)
