// Packages of a monorepo's workspace, by name: `@acme/workflows` -> packages/workflows. A code base
// reviewed without node_modules (no install) still names its own packages by their package names
// (`require.resolve('@acme/workflows/src/workflows')`, `import { x } from '@acme/shared'`); this
// map lets the model follow those names to the sources in the tree, as the package manager's
// links would. Only package.json files are read, and only their `name`.

import fs from 'node:fs';
import path from 'node:path';

const SKIPPED = new Set(['node_modules', 'dist', 'build', 'out', 'coverage']);
const MAX_DEPTH = 6;
const MAX_DIRECTORIES = 20_000;

const cache = new Map<string, Map<string, string>>();

/** Package name -> directory, for every package.json under root (node_modules excluded). */
export function workspacePackages(root: string): Map<string, string> {
  const cached = cache.get(root);
  if (cached) return cached;
  const packages = new Map<string, string>();
  const pending: { directory: string; depth: number }[] = [{ directory: root, depth: 0 }];
  let visited = 0;
  while (pending.length > 0 && visited < MAX_DIRECTORIES) {
    const { directory, depth } = pending.pop()!;
    visited++;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(directory, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isDirectory() && depth < MAX_DEPTH && !entry.name.startsWith('.') && !SKIPPED.has(entry.name)) {
        pending.push({ directory: path.join(directory, entry.name), depth: depth + 1 });
      } else if (entry.isFile() && entry.name === 'package.json') {
        const name = packageName(path.join(directory, entry.name));
        if (name && !packages.has(name)) packages.set(name, directory);
      }
    }
  }
  cache.set(root, packages);
  return packages;
}

/** The path a bare specifier names inside a workspace package (`@acme/wf/src/x` -> packages/wf/src/x), if any. */
export function workspacePath(root: string, specifier: string): string | undefined {
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) return undefined;
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const directory = workspacePackages(root).get(name);
  return directory ? path.join(directory, ...parts.slice(nameLength)) : undefined;
}

function packageName(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > 1024 * 1024) return undefined;
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown };
    return typeof parsed.name === 'string' && parsed.name.length > 0 ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The workspace file a path inside node_modules stands for when the workspace is not installed:
 * `<dir>/node_modules/@acme/tsconfig/base.json` -> packages/tsconfig/base.json. Undefined when the
 * path is not in node_modules or names no package of the workspace.
 */
export function workspaceFileBehindNodeModules(root: string, file: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const parts = file.slice(at + marker.length).split(path.sep);
  const nameLength = parts[0]?.startsWith('@') ? 2 : 1;
  if (parts.length < nameLength) return undefined;
  const directory = workspacePackages(root).get(parts.slice(0, nameLength).join('/'));
  return directory ? path.join(directory, ...parts.slice(nameLength)) : undefined;
}

/**
 * Whether a node_modules directory inside root (or a scope or package folder in it) would exist if
 * the workspace were installed: a node_modules folder of the tree, `@acme` when some workspace
 * package has that scope, a package folder of the workspace.
 */
export function workspaceDirectoryBehindNodeModules(root: string, directory: string): boolean {
  if (!isInside(root, directory)) return false;
  const marker = `${path.sep}node_modules`;
  const at = directory.lastIndexOf(marker);
  if (at < 0) return false;
  const rest = directory.slice(at + marker.length);
  if (rest === '') return workspacePackages(root).size > 0;
  if (!rest.startsWith(path.sep)) return false;
  const parts = rest.slice(1).split(path.sep);
  const names = [...workspacePackages(root).keys()];
  if (parts.length === 1 && parts[0]!.startsWith('@')) return names.some((name) => name.startsWith(`${parts[0]}/`));
  const target = workspaceFileBehindNodeModules(root, directory);
  return target !== undefined && fs.existsSync(target) && fs.statSync(target).isDirectory();
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
