"""The simulators' journal: one JSON line per event, appended with one write."""

import json
import os
import sys
import tempfile
from datetime import datetime, timezone

JOURNAL_ENV = ("KAYOBE_CONFIG_PATH", "KAYOBE_ENVIRONMENT", "KOLLA_CONFIG_PATH",
               "KOLLA_VENV_PATH", "ANSIBLE_VAULT_PASSWORD_FILE")
SECRET_ENV = ("KAYOBE_VAULT_PASSWORD",)


# The project that ships the simulator: kayobe runs in the kayobe-config checkout, so a
# relative journal path in a stack's kayobeEnv is taken from the project, where its
# stacks, tests and README look for it.
PROJECT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))


def journal_path():
    return os.path.join(PROJECT, os.environ.get("KAYOBE_SIM_JOURNAL") or "kayobe-sim-journal.jsonl")


class Journal:
    def __init__(self, argv, program=None):
        """`program`: set by stand-ins for other tools than kayobe (e.g. "pip")."""
        self.path = journal_path()
        self.argv = argv
        self.program = program
        self.started = False

    def _write(self, event, **fields):
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        record = {"event": event, "time": now.replace("+00:00", "Z"),
                  "pid": os.getpid(), "argv": self.argv}
        if self.program is not None:
            record["program"] = self.program
        record.update(fields)
        line = (json.dumps(record) + "\n").encode("utf-8")
        try:
            # A journal in a folder of its own (one per stack) needs the folder.
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            # One write on an O_APPEND descriptor: concurrent calls' lines
            # never interleave.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        except OSError as e:
            sys.stderr.write("kayobe simulator: cannot write journal %s: %s\n"
                             % (self.path, e))

    def start(self, refused_exit=None):
        self.started = True
        try:
            cwd = os.getcwd()
        except OSError:
            cwd = None
        env = {k: os.environ[k] for k in JOURNAL_ENV if k in os.environ}
        env.update({k: "<set>" for k in SECRET_ENV if k in os.environ})
        extra = {} if refused_exit is None else {"exit": refused_exit}
        self._write("refused" if extra else "start", cwd=cwd, env=env, **extra)

    def end(self, code):
        self._write("end", exit=code)


def write_atomically(path, text, mode):
    """Readers (concurrent calls among them) see the old file or the new one."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
