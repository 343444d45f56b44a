// Subpath imports (`import { x } from '#db/jobs.js'`) through the "imports" field of the nearest
// package.json, as Node resolves them: an exact key, else the longest `#prefix*` pattern; a
// target is a string or an object of conditions. TypeScript follows them only under node16,
// nodenext and bundler resolution; a project reviewed without its inherited options (a base
// tsconfig that is not installed) falls back to node10 and loses them, and with them every helper
// the activity imports that way. The model asks here when the compiler's resolution fails.

import fs from 'node:fs';
import path from 'node:path';

type Target = string | null | Target[] | { [condition: string]: Target };

/** Conditions Node and TypeScript set by default, in no particular order. */
const DEFAULT_CONDITIONS = new Set(['types', 'import', 'require', 'node', 'default']);

/**
 * The candidate paths (absolute, maybe compiled output or without extension) a `#` specifier
 * names from `fromFile`: the targets of the active conditions first, in the order the field
 * lists them, then those of every other condition (the project's custom conditions may be in a
 * base tsconfig the review could not read). Empty when no package.json maps it.
 */
export function packageImportCandidates(fromFile: string, specifier: string, customConditions: readonly string[] = []): string[] {
  if (!specifier.startsWith('#')) return [];
  const found = nearestImports(path.dirname(fromFile));
  if (!found) return [];
  const { directory, imports } = found;
  let target: Target | undefined = imports[specifier];
  let star: string | undefined;
  if (target === undefined) {
    const key = Object.keys(imports)
      .filter((k) => k.includes('*') && specifier.startsWith(k.slice(0, k.indexOf('*'))) && specifier.endsWith(k.slice(k.indexOf('*') + 1)))
      .sort((a, b) => b.indexOf('*') - a.indexOf('*'))[0];
    if (!key) return [];
    target = imports[key];
    star = specifier.slice(key.indexOf('*'), specifier.length - (key.length - key.indexOf('*') - 1));
  }
  const active = new Set([...DEFAULT_CONDITIONS, ...customConditions]);
  const preferred: string[] = [];
  const others: string[] = [];
  collect(target, true, active, preferred, others);
  return [...preferred, ...others]
    .filter((relative) => relative.startsWith('./'))
    .map((relative) => path.resolve(directory, star === undefined ? relative : relative.split('*').join(star)));
}

function collect(target: Target | undefined, isActive: boolean, active: Set<string>, preferred: string[], others: string[]): void {
  if (target === undefined || target === null) return;
  if (typeof target === 'string') {
    (isActive ? preferred : others).push(target);
    return;
  }
  if (Array.isArray(target)) {
    for (const entry of target) collect(entry, isActive, active, preferred, others);
    return;
  }
  for (const [condition, value] of Object.entries(target)) collect(value, isActive && active.has(condition), active, preferred, others);
}

const cache = new Map<string, { directory: string; imports: Record<string, Target> } | null>();

/** The "imports" field of the nearest package.json above a directory (Node stops at the first package.json). */
function nearestImports(start: string): { directory: string; imports: Record<string, Target> } | null {
  const cached = cache.get(start);
  if (cached !== undefined) return cached;
  let result: { directory: string; imports: Record<string, Target> } | null = null;
  for (let directory = start; ; directory = path.dirname(directory)) {
    const file = path.join(directory, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const stat = fs.statSync(file);
        const parsed = stat.isFile() && stat.size <= 1024 * 1024 ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { imports?: unknown }) : undefined;
        if (parsed?.imports && typeof parsed.imports === 'object' && !Array.isArray(parsed.imports)) result = { directory, imports: parsed.imports as Record<string, Target> };
      } catch {
        // An unreadable package.json maps nothing.
      }
      break;
    }
    if (path.dirname(directory) === directory) break;
  }
  cache.set(start, result);
  return result;
}
