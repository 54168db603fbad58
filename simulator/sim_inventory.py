"""The kayobe inventory as real Ansible reads it, and host patterns.

`ansible-inventory --list` from the real kayobe's virtualenv reads kayobe's
inventory paths (ranges, files of any name, INI or YAML, an explicit
localhost), cached while their files stay the same. Host patterns are matched
here with enough of Ansible's rules for kayobe's limits: patterns joined by
`,` or `:`, `&`/`!` prefixes applied after the plain ones, `group[0]` /
`group[0:2]` (inclusive) subscripts, `*` wildcards, `~regex` and the implicit
localhost. Not a reimplementation.
"""

import json
import os
import re
import subprocess
import sys

from sim_real import cached

_SUBSCRIPT = re.compile(r"^(.+)\[(-?\d*)(?::(-?\d*))?\]$")
# ':' separates patterns, except inside a subscript such as group[0:2].
_COLON = re.compile(r":(?![^\[]*\])")
IMPLICIT_LOCALHOST = ("localhost", "127.0.0.1")


def load(paths, real, config_path):
    """The Inventory of the inventory paths, or None once Ansible's error is
    printed."""
    env = dict(os.environ)
    # Only groups and hosts are wanted: no group_vars (which may be vaulted, and
    # are copied into every host's entry), but kayobe's ansible.cfg, as kayobe.
    env["ANSIBLE_VARS_ENABLED"] = ""
    if os.access(os.path.join(config_path, "ansible.cfg"), os.R_OK):
        env.setdefault("ANSIBLE_CONFIG", os.path.join(config_path, "ansible.cfg"))
    cfg = env.get("ANSIBLE_CONFIG")
    argv = [os.path.join(os.path.dirname(real), "ansible-inventory"), "--list"]
    for path in paths:
        argv += ["-i", path]

    def produce():
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        # Its warnings (kayobe's group names have dashes) are left out, so that
        # a cached answer and a fresh one print the same.
        return (done.stdout, None) if done.returncode == 0 else (None, done)
    text, failed = cached("inventory", argv + [cfg], paths + ([cfg] if cfg else []), produce)
    if failed:
        sys.stderr.write(failed.stderr)
        return None
    return Inventory(json.loads(text))


class Inventory:
    def __init__(self, listing):
        """`listing`: ansible-inventory --list's JSON. A group without hosts or
        children is only named among its parent's children."""
        self.members = {}     # group -> its own hosts
        self.children = {}    # group -> its child groups
        for name, group in listing.items():
            if name != "_meta":
                self.members[name] = group.get("hosts", [])
                self.children[name] = group.get("children", [])
        for kids in list(self.children.values()):
            for kid in kids:
                self.members.setdefault(kid, [])
                self.children.setdefault(kid, [])
        self.hosts = self.group_hosts("all")  # every host, in inventory order

    def group_hosts(self, group, _seen=None):
        """A group's hosts then its children's, depth first, as Ansible."""
        seen = _seen if _seen is not None else set()
        if group in seen:
            return []
        seen.add(group)
        found = list(self.members.get(group, []))
        for child in self.children.get(group, []):
            found += [h for h in self.group_hosts(child, seen) if h not in found]
        return found

    def groups_of(self, host):
        return sorted(g for g in self.members if host in self.group_hosts(g))

    def _match(self, term):
        """Hosts matching one term without prefix; None when nothing does."""
        sub = _SUBSCRIPT.match(term)
        if sub and sub.group(1) in self.members:
            hosts = self.group_hosts(sub.group(1))
            start = int(sub.group(2) or 0)
            if sub.group(3) is None:
                return hosts[start:start + 1] if start != -1 else hosts[-1:]
            end = int(sub.group(3)) + 1 if sub.group(3) else len(hosts)
            return hosts[start:end]
        if term in ("all", "*"):
            return list(self.hosts)
        if term in self.members:
            return self.group_hosts(term)
        if term in self.hosts:
            return [term]
        if term.startswith("~") or "*" in term or "?" in term:
            if term.startswith("~"):
                rx = re.compile(term[1:])
                test = rx.match
            else:
                import fnmatch
                test = lambda name: fnmatch.fnmatchcase(name, term)  # noqa: E731
            found = [h for h in self.hosts if test(h)]
            for g in self.members:
                if test(g):
                    found += [h for h in self.group_hosts(g) if h not in found]
            return found or None
        if term in IMPLICIT_LOCALHOST:
            return [term]
        return None

    def select(self, pattern, warn=True):
        """The hosts a host pattern selects, in inventory order."""
        terms = split_pattern(pattern)
        plain = [t for t in terms if t[0] not in "&!"]
        ordered = (plain or ["all"]) + [t for t in terms if t[0] == "&"] + \
            [t for t in terms if t[0] == "!"]
        result = []
        for term in ordered:
            prefix, name = (term[0], term[1:]) if term[0] in "&!" else ("", term)
            found = self._match(name)
            if found is None:
                if warn:
                    warning("Could not match supplied host pattern, "
                            "ignoring: %s" % name)
                found = []
            if prefix == "&":
                result = [h for h in result if h in found]
            elif prefix == "!":
                result = [h for h in result if h not in found]
            else:
                result += [h for h in found if h not in result]
        return result


def split_pattern(pattern):
    if "," in pattern:
        parts = pattern.split(",")
    else:
        parts = _COLON.split(pattern)
    return [p.strip() for p in parts if p.strip()]


def warning(msg):
    sys.stderr.write("[WARNING]: %s\n" % msg)
