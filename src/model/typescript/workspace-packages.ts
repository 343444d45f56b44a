// Packages of a monorepo's workspace, by name: `@acme/workflows` -> packages/workflows. A code base
// reviewed without node_modules (no install) still names its own packages by their package names
// (`require.resolve('@acme/workflows/src/workflows')`, `import { x } from '@acme/shared'`); this
// map lets the model follow those names to the sources in the tree, as the package manager's
// links would. Only package.json files are read (their `name`, and for an imported package its
// entry fields), and a package's own tsconfig.json for where its compiled output comes from.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { CONFIG_FILE_MAX_BYTES } from '../../engine/bounded-file.js';

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
    if (!stat.isFile() || stat.size > CONFIG_FILE_MAX_BYTES) return undefined;
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

type ExportTarget = string | null | ExportTarget[] | { [condition: string]: ExportTarget };

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

/**
 * The source file a bare import of a workspace package stands for when the workspace is not
 * installed (`import { x } from '@acme/shared'` with packages/shared/package.json saying
 * `"main": "dist/lib/index.js"`): the entry its package.json names (`exports`, `types`, `main`,
 * `module`), mapped from compiled output back to sources through the package's tsconfig
 * (`outDir` -> `rootDir`) or the usual folder names (dist -> src, dist -> the package root), then
 * the conventional entries (src/index.ts, index.ts, lib/index.ts). A subpath
 * (`@acme/shared/models`) is looked up the same way. Undefined when the specifier names no
 * workspace package or none of the candidates exists.
 */
const moduleSources = new Map<string, Map<string, string | undefined>>();

export function workspaceModuleSource(root: string, specifier: string): string | undefined {
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) return undefined;
  // Every program of the review asks for the same packages: read each package.json once per run.
  const known = moduleSources.get(root) ?? new Map<string, string | undefined>();
  moduleSources.set(root, known);
  if (!known.has(specifier)) known.set(specifier, findModuleSource(root, specifier));
  return known.get(specifier);
}

function findModuleSource(root: string, specifier: string): string | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const directory = workspacePackages(root).get(parts.slice(0, nameLength).join('/'));
  if (!directory) return undefined;
  const subpath = parts.slice(nameLength).join('/');
  const manifest = readJson(path.join(directory, 'package.json')) ?? {};
  const targets: string[] = [];
  const exported = exportTargets(manifest.exports, subpath);
  targets.push(...exported);
  if (!subpath) {
    for (const field of ['types', 'typings', 'main', 'module']) {
      const value = manifest[field];
      if (typeof value === 'string') targets.push(value);
    }
  } else {
    targets.push(subpath);
  }
  const { outDir, rootDir } = compiledLayout(directory);
  const candidates: string[] = [];
  for (const target of targets) {
    const relative = path.normalize(target).replace(/^\.[\\/]/, '');
    candidates.push(relative);
    if (outDir && (relative === outDir || relative.startsWith(outDir + path.sep))) candidates.push(path.join(rootDir ?? '.', relative.slice(outDir.length)));
    const compiled = /^(dist|build|out|lib)(?:[\\/](.*))?$/.exec(relative);
    if (compiled) {
      const rest = compiled[2] ?? '';
      candidates.push(path.join('src', rest), rest);
    }
  }
  if (!subpath) candidates.push('src', '.', 'lib');
  for (const candidate of candidates) {
    const found = sourceFile(path.join(directory, candidate));
    if (found) return found;
  }
  return undefined;
}

/** `<stem>.ts` (for `x.js`, `x.d.ts` or `x`), else `<path>/index.ts`, among the TypeScript extensions. */
function sourceFile(target: string): string | undefined {
  const stem = target.replace(/\.d\.[mc]?ts$/, '').replace(/\.[mc]?[jt]sx?$/, '');
  const options = [...SOURCE_EXTENSIONS.map((e) => stem + e), ...SOURCE_EXTENSIONS.map((e) => path.join(target, `index${e}`))];
  return options.find((file) => !/\.d\.[mc]?ts$/.test(file) && fileExists(file));
}

/** The targets `exports` gives for a subpath ('' for the package itself), every condition included. */
function exportTargets(exports: unknown, subpath: string): string[] {
  if (exports === undefined || exports === null) return [];
  const key = subpath ? `./${subpath}` : '.';
  let target: unknown = exports;
  if (typeof exports === 'object' && !Array.isArray(exports)) {
    const map = exports as Record<string, unknown>;
    const keyed = Object.keys(map).some((k) => k.startsWith('.'));
    if (keyed) target = map[key];
    else if (subpath) return [];
  } else if (subpath) return [];
  const found: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value as Record<string, ExportTarget>).forEach(collect);
  };
  collect(target);
  return found;
}

/** The package tsconfig's outDir and rootDir, relative to the package (extends not followed). */
function compiledLayout(directory: string): { outDir?: string; rootDir?: string } {
  const config = readJson(path.join(directory, 'tsconfig.json'), true);
  const options = (config?.compilerOptions ?? {}) as { outDir?: unknown; rootDir?: unknown };
  const relative = (value: unknown): string | undefined => (typeof value === 'string' ? path.normalize(value).replace(/^\.[\\/]/, '').replace(/[\\/]$/, '') : undefined);
  const outDir = relative(options.outDir);
  const rootDir = relative(options.rootDir);
  return { ...(outDir && outDir !== '.' ? { outDir } : {}), ...(rootDir !== undefined ? { rootDir } : {}) };
}

function readJson(file: string, withComments = false): Record<string, unknown> | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > 1024 * 1024) return undefined;
    const text = fs.readFileSync(file, 'utf8');
    const parsed: unknown = withComments ? ts.parseConfigFileTextToJson(file, text).config : JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function fileExists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

const packageRoots = new Map<string, Map<string, string>>();

/** The directory of the nearest package.json above a file, up to root (root itself when none is nearer). */
export function packageRootOf(file: string, root: string): string {
  const known = packageRoots.get(root) ?? new Map<string, string>();
  packageRoots.set(root, known);
  let directory = path.dirname(file);
  const visited: string[] = [];
  let found = root;
  while (isInside(root, directory)) {
    const cached = known.get(directory);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(directory);
    if (fileExists(path.join(directory, 'package.json'))) {
      found = directory;
      break;
    }
    directory = path.dirname(directory);
  }
  for (const seen of visited) known.set(seen, found);
  return found;
}
