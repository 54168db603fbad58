"""The real kayobe (and its Ansible) that the simulator asks what only they
know: a configuration dump, the inventory.

Their answers take a second or two and depend only on files, so they are kept
in a cache folder under a digest of those files."""

import hashlib
import json
import os
import subprocess
import sys
import tempfile

from sim_cli import refuse
from sim_journal import journal_path
from sim_surface import KAYOBE_VERSION

SIM_DIR = os.path.dirname(os.path.realpath(__file__))
DEFAULT_KAYOBE = os.path.join(os.path.dirname(SIM_DIR), ".kayobe-upgrade",
                              "kayobe-%s" % KAYOBE_VERSION, "bin", "kayobe")


def locate():
    """The real kayobe executable; refuses the call when it is missing."""
    path = os.environ.get("KAYOBE_SIM_REAL_KAYOBE") or DEFAULT_KAYOBE
    if not os.access(path, os.X_OK):
        refuse("kayobe simulator: the real kayobe %s is missing (set "
               "KAYOBE_SIM_REAL_KAYOBE, or run `bash scripts/ensure-kayobe.sh`)" % path)
    return path


def run(real, argv):
    """The real kayobe with argv, its virtualenv's bin folder first on PATH as
    an activated virtualenv has it (kayobe runs ansible-playbook from PATH)."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(real) + os.pathsep + env.get("PATH", "")
    sys.stdout.flush()
    return subprocess.run([real] + argv, env=env)


def _files(top):
    if os.path.isfile(top):
        yield top
    for root, dirs, names in os.walk(top, followlinks=True):
        dirs.sort()
        for name in sorted(names):
            yield os.path.join(root, name)


def cached(kind, key, paths, produce):
    """produce()'s text, reused while `key` and every file under `paths` stay
    the same. produce() returns (text, error); an error is not kept."""
    digest = hashlib.sha256(json.dumps(key).encode())
    for top in paths:
        for path in _files(top):
            digest.update(b"\0%s\0" % path.encode())
            try:
                with open(path, "rb") as f:
                    digest.update(f.read())
            except OSError:
                pass  # unreadable: Ansible will say so
    folder = os.environ.get("KAYOBE_SIM_CACHE") or os.path.join(
        os.path.dirname(os.path.abspath(journal_path())), ".kayobe-sim-cache")
    file = os.path.join(folder, "%s-%s" % (kind, digest.hexdigest()[:32]))
    try:
        with open(file, encoding="utf-8") as f:
            return f.read(), None
    except FileNotFoundError:
        pass
    text, error = produce()
    if error is None:
        write_atomically(file, text, 0o600)
    return text, error


def write_atomically(path, text, mode):
    """Readers (concurrent calls among them) see the old file or the new one."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)
