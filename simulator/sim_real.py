"""The real kayobe (and its Ansible) that the simulator asks what only they
know: a configuration dump, the inventory, the templated kolla globals.

Their answers take a second or two and depend only on files, so they are kept
in a cache folder under a digest of those files."""

import hashlib
import json
import os
import subprocess
import sys

from sim_cli import refuse
import sim_journal
from sim_journal import journal_path
from sim_surface import KAYOBE_VERSION

SIM_DIR = os.path.dirname(os.path.realpath(__file__))
DEFAULT_KAYOBE = os.path.join(os.path.dirname(SIM_DIR), ".kayobe-upgrade",
                              "kayobe-%s" % KAYOBE_VERSION, "bin", "kayobe")
GLOBALS_QUERY = os.path.join(SIM_DIR, "globals-query.yml")


def locate():
    """The real kayobe executable; refuses the call when it is missing."""
    path = os.environ.get("KAYOBE_SIM_REAL_KAYOBE") or DEFAULT_KAYOBE
    if not os.access(path, os.X_OK):
        refuse("kayobe simulator: the real kayobe %s is missing (set "
               "KAYOBE_SIM_REAL_KAYOBE, or run `bash scripts/ensure-kayobe.sh`)" % path)
    return path


def run(real, argv, capture=False):
    """The real kayobe with argv, its virtualenv's bin folder first on PATH as
    an activated virtualenv has it (kayobe runs ansible-playbook from PATH)."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(real) + os.pathsep + env.get("PATH", "")
    sys.stdout.flush()
    return subprocess.run([real] + argv, env=env, capture_output=capture, text=capture)


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
        # Private: the globals may hold vault-decrypted values.
        sim_journal.write_atomically(file, text, 0o600)
    return text, error


def render_globals(real, args):
    """(text, error): the kolla globals.yml that kayobe's kolla-ansible role
    writes, less the role's own template: the config's and its environments'
    kolla/globals.yml rendered with kayobe's variables and merged, over the
    openstack_release kayobe evaluates (see globals-query.yml)."""
    argv = ["configuration", "dump", "--host", "localhost", "--var-name", "kayobe_sim_globals",
            "--config-path", args.config_path,
            "-e", "ansible_python_interpreter={{ ansible_playbook_python }}", "-e", "@" + GLOBALS_QUERY]
    if args.environment:
        argv += ["--environment", args.environment]
    for option, values in (("-e", args.extra_vars), ("-i", args.inventory)):
        for value in values or []:
            argv += [option, value]
    if args.vault_password_file:
        argv += ["--vault-password-file", args.vault_password_file]

    def produce():
        done = run(real, argv, capture=True)
        if done.returncode:
            sys.stderr.write(done.stderr)
            return None, "rendering kolla/globals.yml: kayobe configuration dump exited %d" % done.returncode
        value = json.loads(done.stdout)
        # An undefined variable leaves the dumped template unrendered.
        if value.startswith("{{"):
            return None, ("rendering kolla/globals.yml: it uses a variable kayobe does "
                          "not define (the dump left the template unrendered)")
        return value, None
    # The config tree (its inventory included), -i trees and -e @files; whether
    # a vault password is given, not the password (a missing one fails kayobe).
    files = [v[1:] for v in args.extra_vars or [] if v.startswith("@")]
    vault = [bool(os.environ.get("KAYOBE_VAULT_PASSWORD")), os.environ.get("ANSIBLE_VAULT_PASSWORD_FILE")]
    return cached("globals", [os.path.realpath(real), argv, vault],
                  [args.config_path] + (args.inventory or []) + files, produce)
