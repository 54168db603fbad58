"""A small reader of INI Ansible inventories and host patterns.

Enough of Ansible's rules for kayobe's limits: groups and `[g:children]`,
`host[01:03]` ranges, patterns joined by `,` or `:`, `&`/`!` prefixes applied
after the plain ones, `group[0]` / `group[0:2]` (inclusive) subscripts, `*`
wildcards, `~regex` and the implicit localhost. Not a reimplementation.
"""

import os
import re
import sys

_RANGE = re.compile(r"^(.*)\[(\d+):(\d+)\](.*)$")
_SUBSCRIPT = re.compile(r"^(.+)\[(-?\d*)(?::(-?\d*))?\]$")
# ':' separates patterns, except inside a subscript such as group[0:2].
_COLON = re.compile(r":(?![^\[]*\])")
IMPLICIT_LOCALHOST = ("localhost", "127.0.0.1")


class Inventory:
    def __init__(self):
        self.hosts = []       # every host, in the order first seen
        self.members = {}     # group -> its own hosts
        self.children = {}    # group -> its child groups

    def read(self, path):
        """Read one INI file, or the `groups` and `hosts` files of a directory
        (alphabetical, as Ansible reads a directory)."""
        if os.path.isdir(path):
            for name in ("groups", "hosts"):
                if os.path.isfile(os.path.join(path, name)):
                    self.read(os.path.join(path, name))
            return
        if not os.path.isfile(path):
            return
        section, kind = "ungrouped", "hosts"
        with open(path, encoding="utf-8", errors="replace") as f:
            for raw in f:
                line = raw.strip()
                if not line or line[0] in "#;":
                    continue
                if line.startswith("[") and line.endswith("]"):
                    section, _, kind = line[1:-1].partition(":")
                    kind = kind or "hosts"
                    self._group(section)
                elif kind == "children":
                    child = line.split()[0]
                    self._group(child)
                    if child not in self.children[section]:
                        self.children[section].append(child)
                elif kind == "hosts":
                    for host in _expand(line.split()[0]):
                        self._add(section, host)

    def _group(self, name):
        self.members.setdefault(name, [])
        self.children.setdefault(name, [])

    def _add(self, group, host):
        if host not in self.hosts:
            self.hosts.append(host)
        if host not in self.members[group]:
            self.members[group].append(host)

    def group_hosts(self, group, _seen=None):
        """A group's hosts then its children's, depth first, as Ansible."""
        seen = _seen if _seen is not None else set()
        if group in seen:
            return []
        seen.add(group)
        if group == "all":
            return list(self.hosts)
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


def _expand(name):
    """host[01:03] -> host01, host02, host03 (keeping the zero padding)."""
    m = _RANGE.match(name)
    if not m:
        return [name]
    head, lo, hi, tail = m.groups()
    return ["%s%0*d%s" % (head, len(lo), i, tail)
            for i in range(int(lo), int(hi) + 1)]


def warning(msg):
    sys.stderr.write("[WARNING]: %s\n" % msg)
