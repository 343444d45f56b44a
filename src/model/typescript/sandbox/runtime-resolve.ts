// Resolves a module request the way the SDK's workflow bundler (webpack, web target) does, so
// the reviewer follows the JavaScript that actually lands in the workflow bundle, not the
// `.d.ts` files the type checker reads: `exports` with the browser/import/require conditions,
// the `browser`/`module`/`main` fields, the `browser` field's file aliases, and the SDK's
// `extensions: ['.ts', '.js']` with `.js` -> `.ts` aliasing. Reads package.json files and stats
// files only; never loads the reviewed code.

import fs from 'node:fs';
import path from 'node:path';

/** A resolved file, `empty` for a module the package's `browser` field maps to false, or null. */
export type RuntimeResolution = string | 'empty' | null;

export type RequestKind = 'import' | 'require';

interface PackageJson {
  dir: string;
  name?: string;
  exports?: unknown;
  browser?: unknown;
  module?: unknown;
  main?: unknown;
}

const EXTENSIONS = ['.ts', '.js'];

/** One resolver per review: caches package.json reads and file checks. */
export class RuntimeResolver {
  private readonly packageJsonCache = new Map<string, PackageJson | null>();
  private readonly fileCache = new Map<string, boolean>();
  private readonly dirCache = new Map<string, boolean>();

  resolve(fromFile: string, request: string, kind: RequestKind): RuntimeResolution {
    if (request.startsWith('.') || path.isAbsolute(request)) {
      const target = path.resolve(path.dirname(fromFile), request);
      return this.aliasThroughBrowserField(this.resolvePath(target));
    }
    const owner = this.ownerPackage(fromFile);
    const alias = owner ? browserAlias(owner, request) : undefined;
    if (alias === false) return 'empty';
    if (typeof alias === 'string' && alias !== request) {
      return alias.startsWith('.') ? this.aliasThroughBrowserField(this.resolvePath(path.resolve(owner!.dir, alias))) : this.resolve(fromFile, alias, kind);
    }
    return this.resolvePackage(fromFile, request, kind);
  }

  private resolvePackage(fromFile: string, request: string, kind: RequestKind): RuntimeResolution {
    const segments = request.split('/');
    const nameLength = request.startsWith('@') ? 2 : 1;
    const name = segments.slice(0, nameLength).join('/');
    const subpath = segments.slice(nameLength).join('/');
    for (let dir = path.dirname(fromFile); ; dir = path.dirname(dir)) {
      const packageDir = path.join(dir, 'node_modules', name);
      if (this.isDirectory(packageDir)) {
        const pkg = this.readPackageJson(packageDir);
        if (pkg && pkg.exports !== undefined && pkg.exports !== null) {
          const target = resolveExports(pkg.exports, subpath ? `./${subpath}` : '.', kind);
          if (!target) return null;
          return this.aliasThroughBrowserField(this.resolveFile(path.resolve(packageDir, target)));
        }
        if (subpath) return this.aliasThroughBrowserField(this.resolvePath(path.join(packageDir, subpath)));
        return this.aliasThroughBrowserField(this.resolveDirectory(packageDir));
      }
      if (path.dirname(dir) === dir) return null;
    }
  }

  /** A file or a directory, with the bundler's extension rules. */
  private resolvePath(target: string): string | null {
    return this.resolveFile(target) ?? (this.isDirectory(target) ? this.resolveDirectory(target) : null);
  }

  private resolveFile(target: string): string | null {
    if (target.endsWith('.js')) {
      const stem = target.slice(0, -'.js'.length);
      if (this.isFile(`${stem}.ts`)) return `${stem}.ts`;
    }
    if (this.isFile(target)) return target;
    for (const extension of EXTENSIONS) {
      if (this.isFile(target + extension)) return target + extension;
    }
    return null;
  }

  private resolveDirectory(dir: string): string | null {
    const pkg = this.readPackageJson(dir);
    if (pkg) {
      for (const field of [typeof pkg.browser === 'string' ? pkg.browser : undefined, pkg.module, pkg.main]) {
        if (typeof field !== 'string' || field === '') continue;
        const resolved = this.resolvePath(path.resolve(dir, field));
        if (resolved) return resolved;
      }
    }
    for (const extension of EXTENSIONS) {
      const index = path.join(dir, `index${extension}`);
      if (this.isFile(index)) return index;
    }
    return null;
  }

  /** Applies the `browser` field file map of the package that owns the resolved file. */
  private aliasThroughBrowserField(file: string | null): RuntimeResolution {
    if (!file) return null;
    const owner = this.ownerPackage(file);
    if (!owner || typeof owner.browser !== 'object' || owner.browser === null) return file;
    const relative = `./${path.relative(owner.dir, file).split(path.sep).join('/')}`;
    const map = owner.browser as Record<string, unknown>;
    const stem = relative.replace(/\.(ts|js)$/, '');
    const target = map[relative] ?? map[stem] ?? map[`${stem}.js`];
    if (target === false) return 'empty';
    if (typeof target === 'string') return this.resolvePath(path.resolve(owner.dir, target)) ?? file;
    return file;
  }

  /** The nearest package.json above a file, within node_modules or the project. */
  private ownerPackage(file: string): PackageJson | null {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const pkg = this.readPackageJson(dir);
      if (pkg) return pkg;
      if (path.basename(dir) === 'node_modules' || path.dirname(dir) === dir) return null;
    }
  }

  private readPackageJson(dir: string): PackageJson | null {
    const cached = this.packageJsonCache.get(dir);
    if (cached !== undefined) return cached;
    let pkg: PackageJson | null = null;
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      pkg = { dir, ...(parsed as Omit<PackageJson, 'dir'>) };
    } catch {
      pkg = null;
    }
    this.packageJsonCache.set(dir, pkg);
    return pkg;
  }

  private isFile(file: string): boolean {
    let known = this.fileCache.get(file);
    if (known === undefined) {
      known = statKind(file) === 'file';
      this.fileCache.set(file, known);
    }
    return known;
  }

  private isDirectory(dir: string): boolean {
    let known = this.dirCache.get(dir);
    if (known === undefined) {
      known = statKind(dir) === 'directory';
      this.dirCache.set(dir, known);
    }
    return known;
  }
}

function statKind(target: string): 'file' | 'directory' | null {
  try {
    const stat = fs.statSync(target);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : null;
  } catch {
    return null;
  }
}

/** The `browser` field's mapping of a bare request, when the owning package declares one. */
function browserAlias(pkg: PackageJson, request: string): string | false | undefined {
  if (typeof pkg.browser !== 'object' || pkg.browser === null) return undefined;
  const value = (pkg.browser as Record<string, unknown>)[request];
  return value === false || typeof value === 'string' ? value : undefined;
}

/** Webpack's condition names for a web-target bundle in development mode. */
function conditionsFor(kind: RequestKind): Set<string> {
  return new Set(['webpack', 'development', 'browser', 'module', kind, 'default']);
}

/** Resolves a subpath (`.` or `./x`) through an `exports` field; null when not exported. */
export function resolveExports(exportsField: unknown, subpath: string, kind: RequestKind): string | null {
  const conditions = conditionsFor(kind);
  const map = normalizeExports(exportsField);
  if (!map) return null;
  if (Object.prototype.hasOwnProperty.call(map, subpath)) return resolveTarget(map[subpath], conditions, '');
  let best: { key: string; star: string } | null = null;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      if (!best || prefix.length > best.key.indexOf('*')) {
        best = { key, star: subpath.slice(prefix.length, subpath.length - suffix.length) };
      }
    }
  }
  return best ? resolveTarget(map[best.key], conditions, best.star) : null;
}

function normalizeExports(exportsField: unknown): Record<string, unknown> | null {
  if (typeof exportsField === 'string' || Array.isArray(exportsField)) return { '.': exportsField };
  if (typeof exportsField !== 'object' || exportsField === null) return null;
  const keys = Object.keys(exportsField);
  if (keys.length > 0 && keys.every((key) => !key.startsWith('.'))) return { '.': exportsField };
  return exportsField as Record<string, unknown>;
}

function resolveTarget(target: unknown, conditions: Set<string>, star: string): string | null {
  if (typeof target === 'string') return target.split('*').join(star);
  if (Array.isArray(target)) {
    for (const entry of target) {
      const resolved = resolveTarget(entry, conditions, star);
      if (resolved) return resolved;
    }
    return null;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!conditions.has(condition)) continue;
      const resolved = resolveTarget(value, conditions, star);
      if (resolved) return resolved;
    }
  }
  return null;
}
