// The reviewed files a process may load once it starts from some files: every import, at any
// depth and inside functions too (a FastAPI lifespan that imports the worker when it runs), string
// literals that name a module of the project (`uvicorn.run("app.main:app")`,
// `importlib.import_module("app.worker")`), and for TypeScript the model's resolved imports plus
// relative `import()` / `require()` specifiers. Generous on purpose: a caller that asks "can this
// process reach the worker?" must not miss a way in.

import path from 'node:path';
import type { ProjectFiles } from './alert-rule-files.js';
import { modulePaths } from './deployed-processes.js';

export interface ReachInput extends ProjectFiles {
  language: 'python' | 'typescript';
  /** The reviewed files of the language, relative to the root. */
  files: string[];
  /** TypeScript: the model's resolved imports of a file (relative paths). */
  importsOf?: (file: string) => string[];
}

const PY_FROM = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]+)/gm;
const PY_IMPORT = /^[ \t]*import[ \t]+([\w., \t]+)/gm;
const PY_STRING_MODULE = /["']([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)(?::[A-Za-z_]\w*(?:\(\))?)?["']/g;
const TS_RELATIVE = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+|\bexport\s+\*\s+from\s*)["'](\.{1,2}\/[^"']*)["']/gm;

export function reachedFiles(input: ReachInput, starts: string[]): Set<string> {
  const known = new Set(input.files);
  const packages = input.language === 'typescript' ? workspacePackages(input) : new Map<string, string>();
  const seen = new Set(starts.filter((f) => known.has(f)));
  const queue = [...seen];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of edges(input, known, file, packages)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** The folders of the repository's own packages, by package name. */
function workspacePackages(input: ReachInput): Map<string, string> {
  const packages = new Map<string, string>();
  for (const file of input.globProjectFiles(['**/package.json'])) {
    if (/(^|\/)node_modules\//.test(file)) continue;
    try {
      const name = (JSON.parse(input.readProjectFile(file) ?? '{}') as { name?: unknown }).name;
      const dir = path.posix.dirname(file);
      if (typeof name === 'string' && dir !== '.') packages.set(name, dir);
    } catch {
      // not JSON: names no package
    }
  }
  return packages;
}

const TS_BARE = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["']((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^"']*)?["']/gm;

function edges(input: ReachInput, known: Set<string>, file: string, packages: Map<string, string>): string[] {
  const text = input.readProjectFile(file) ?? '';
  const out = new Set<string>();
  if (input.language === 'python') {
    const dir = path.posix.dirname(file);
    // the packages around a module run their __init__.py first
    for (let d = dir; d !== '.' && d !== ''; d = path.posix.dirname(d)) {
      const init = `${d}/__init__.py`;
      if (known.has(init) && init !== file) out.add(init);
    }
    for (const match of text.matchAll(PY_FROM)) {
      const dots = match[1]!.length;
      const module = match[2]!;
      const names = match[3]!.replace(/[()\\]/g, ' ').split(/[,\s]+/).filter((n) => /^[A-Za-z_]\w*$/.test(n) && n !== 'as');
      if (dots > 0) {
        let base = dir;
        for (let i = 1; i < dots; i++) base = path.posix.dirname(base);
        const prefix = [base === '.' ? '' : base, ...module.split('.').filter(Boolean)].filter(Boolean).join('/');
        for (const candidate of [`${prefix}.py`, `${prefix}/__init__.py`, ...names.map((n) => `${prefix ? `${prefix}/` : ''}${n}.py`), ...names.map((n) => `${prefix ? `${prefix}/` : ''}${n}/__init__.py`)]) {
          if (known.has(candidate)) out.add(candidate);
        }
      } else if (module) {
        for (const found of modulePaths(input.files, module)) out.add(found);
        for (const name of names) for (const found of modulePaths(input.files, `${module}.${name}`)) out.add(found);
      }
    }
    for (const match of text.matchAll(PY_IMPORT)) {
      for (const part of match[1]!.split(',')) {
        const module = part.trim().split(/\s+/)[0]!;
        if (/^[A-Za-z_][\w.]*$/.test(module)) for (const found of modulePaths(input.files, module)) out.add(found);
      }
    }
    for (const match of text.matchAll(PY_STRING_MODULE)) for (const found of modulePaths(input.files, match[1]!)) out.add(found);
  } else {
    for (const target of input.importsOf?.(file) ?? []) if (known.has(target)) out.add(target);
    // a package of the repository imported by name (a workspace member): all of its reviewed files
    for (const match of text.matchAll(TS_BARE)) {
      const dir = packages.get(match[1]!);
      if (dir) for (const candidate of input.files) if (candidate.startsWith(`${dir}/`)) out.add(candidate);
    }
    for (const match of text.matchAll(TS_RELATIVE)) {
      const joined = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!));
      const stem = joined.replace(/\.([cm]?js|jsx)$/, '');
      for (const candidate of [joined, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, `${stem}.js`, `${stem}.mjs`, `${stem}/index.ts`, `${stem}/index.tsx`, `${stem}/index.js`]) {
        if (known.has(candidate)) out.add(candidate);
      }
    }
  }
  out.delete(file);
  return [...out];
}

/** Code that starts other processes or threads of its own (which may run anything, the worker included). */
export function startsProcesses(text: string, language: 'python' | 'typescript'): boolean {
  return language === 'python'
    ? /\b(subprocess|multiprocessing|os\.system|os\.exec\w*|os\.spawn\w*|create_subprocess_\w+|Popen|ProcessPoolExecutor|django|celery)\b/.test(text)
    : /\b(child_process|execa|worker_threads|cluster|pm2|spawnSync|execSync|execFile|fork)\b|new\s+Worker\s*\(/.test(text);
}
