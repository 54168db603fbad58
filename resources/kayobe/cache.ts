import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";

/**
 * A digest of every file under a folder (but .git and the folders excluded, by absolute
 * path) by path, size and modification time:
 * a few milliseconds for a whole kayobe-config, where reading them all takes a third of a
 * second. Editing, checking out or pulling a file changes its time.
 */
export function treeDigest(root: string, exclude: string[], hash = createHash("sha256")): string {
  const walk = (dir: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const file = path.join(dir, entry.name);
      if (entry.name === ".git" || exclude.includes(file)) continue;
      if (entry.isDirectory()) walk(file);
      else {
        const stat = fs.statSync(file, { throwIfNoEntry: false });
        hash.update(`${path.relative(root, file)}\0${stat?.size}\0${stat?.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  return hash.digest("hex");
}

/** The value cached under `key` in `file`, or what `compute` makes of it (then cached, private to the user). */
export function cached<T>(file: string, key: string, compute: () => T): T {
  try {
    const saved = JSON.parse(fs.readFileSync(file, "utf8")) as { key: string; value: T };
    if (saved.key === key) return saved.value;
  } catch {
    // No cache yet, or an unreadable one: compute afresh.
  }
  const value = compute();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, JSON.stringify({ key, value }), { mode: 0o600 });
  fs.renameSync(partial, file);
  return value;
}
