/**
 * Ansible INI inventories as kayobe-config keeps them (inventory/hosts, inventory/groups),
 * reduced to what the upgrade plan needs: which hosts each group holds. Host variables
 * are not needed and not kept.
 */
export type Inventory = Record<string, string[]>;

interface Section {
  members: string[];
  children: boolean;
}

/** Parses INI inventory texts (later texts add to earlier ones) into group -> hosts. */
export function parseInventory(texts: string[]): Inventory {
  const sections = new Map<string, Section>();
  const hosts = new Set<string>();
  for (const text of texts) {
    let current: Section | undefined;
    for (const rawLine of text.split("\n")) {
      const line = rawLine.replace(/[#;].*$/, "").trim();
      if (line === "") continue;
      const header = /^\[([^\]:]+)(?::(children|vars))?\]$/.exec(line);
      if (header) {
        const [, name, kind] = header;
        const group = section(sections, name, false);
        current = kind === "vars" ? undefined : kind === "children" ? section(sections, `${name}:children`, true) : group;
        continue;
      }
      if (current === undefined) continue;
      const member = line.split(/\s+/)[0];
      current.members.push(member);
      if (!current.children) hosts.add(member);
    }
  }
  const groups: Inventory = {};
  const resolve = (name: string, seen: Set<string>): string[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    const direct = sections.get(name)?.members ?? [];
    const nested = (sections.get(`${name}:children`)?.members ?? []).flatMap((child) => resolve(child, seen));
    return [...new Set([...direct, ...nested])];
  };
  for (const name of sections.keys()) {
    if (!name.endsWith(":children")) groups[name] = resolve(name, new Set());
  }
  groups.all = [...hosts];
  return groups;
}

function section(sections: Map<string, Section>, key: string, children: boolean): Section {
  let found = sections.get(key);
  if (found === undefined) {
    found = { members: [], children };
    sections.set(key, found);
  }
  return found;
}
