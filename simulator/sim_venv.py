"""The simulated Kayobe virtualenv: which kayobe is installed in it, as
`kayobe --version` reports it. It starts as KAYOBE_SIM_KAYOBE_VERSION says (the
2024.1 kayobe when unset); the runbook's `pip install --force-reinstall -r
requirements.txt` installs the kayobe the requirements name, which is then kept in
kayobe-sim-venv.json beside the journal (delete the file to start over)."""

import json
import os
import re

import sim_journal
from sim_surface import KAYOBE_VERSION

# What a kayobe-config's requirements name, and the kayobe each installs: StackHPC's
# branches by release, or a version from PyPI.
BRANCHES = {"2023.1": "14.5.0", "2024.1": KAYOBE_VERSION, "2025.1": "18.0.0"}


def state_path():
    return os.path.join(os.path.dirname(sim_journal.journal_path()), "kayobe-sim-venv.json")


def kayobe_version():
    try:
        with open(state_path(), encoding="utf-8") as f:
            return json.load(f)["kayobe_version"]
    except FileNotFoundError:
        return os.environ.get("KAYOBE_SIM_KAYOBE_VERSION") or KAYOBE_VERSION


def installed(requirement):
    """The kayobe version a requirement line installs, or None when it is not kayobe."""
    pinned = re.fullmatch(r"kayobe\s*==\s*([\d.]+)", requirement)
    if pinned:
        return pinned.group(1)
    branch = re.fullmatch(r"kayobe\s*@\s*git\+\S+@stackhpc/([\d.]+)", requirement)
    if branch:
        return BRANCHES.get(branch.group(1))
    return None


def install(requirements):
    """What `pip install -r` of these lines does to the virtualenv's kayobe."""
    for version in filter(None, map(installed, requirements)):
        sim_journal.write_atomically(state_path(), json.dumps({"kayobe_version": version}) + "\n", 0o644)
