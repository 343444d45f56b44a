// Whether the dependency manifest that governs a source file declares the Temporal SDK packages the
// file imports. Python: the nearest folder (from the file up to the reviewed directory) holding a
// pyproject.toml with a [project] or [tool.poetry] table, a setup.py / setup.cfg with
// install_requires, a Pipfile, requirements*.txt (or requirements/*.txt) or a conda environment
// file. TypeScript: the nearest package.json, with the package.json files above it (Node resolves
// packages up the folders) and, in a workspace, every package.json of the repository (hoisting may
// satisfy the import). Anything the manifests leave open (a path or workspace dependency, dynamic
// dependencies, an include that is not found, a lock file or Dockerfile that installs the package)
// counts as declared: the answer is "missing" only when the manifests clearly lack it.

import path from 'node:path';
import type { ProjectFiles } from './alert-rule-files.js';

export interface SdkImport {
  /** The package as imported: `temporalio`, `@temporalio/client`. */
  name: string;
  /** 1-based line of the import. */
  line: number;
}

export interface MissingSdk {
  /** The governing manifest, relative to the root (forward slashes). */
  manifest: string;
  /** The line of its dependency table (`dependencies = [`, `"dependencies": {`), else 1. */
  line: number;
  /** The packages imported and not declared, sorted. */
  packages: string[];
  /** Importing files (relative), with the first import line of a missing package, sorted. */
  importers: { file: string; line: number }[];
}

const VENDORED = /(^|\/)(node_modules|vendor|third_party|third-party|venv|\.venv|site-packages|bower_components)\//;

/** The Temporal SDK packages a Python file imports (nothing when the import is guarded by `except ImportError`). */
export function pythonSdkImports(text: string): SdkImport[] {
  if (/except\s*\(?[^:\n]*\b(ImportError|ModuleNotFoundError)\b/.test(text)) return [];
  const found: SdkImport[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*(?:from\s+temporalio(?:\.[\w.]+)?\s+import\b|import\s+temporalio\b)/.test(line)) found.push({ name: 'temporalio', line: index + 1 });
  });
  return found;
}

const TS_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](@temporalio\/[\w.-]+)(?:\/[^"']*)?["']/g;

/** The Temporal SDK packages a TypeScript / JavaScript file imports. */
export function typescriptSdkImports(text: string): SdkImport[] {
  const found: SdkImport[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
    for (const match of line.matchAll(TS_IMPORT)) found.push({ name: match[1]!, line: index + 1 });
  });
  return found;
}

// ---------------------------------------------------------------------------------------------
// Python

interface Governing {
  directory: string;
  /** The manifest named in a finding. */
  manifest: string;
  line: number;
  /** Texts of every manifest of the folder (requirements includes followed). */
  texts: string[];
  /** Something in the manifests may bring any package (a path dependency, dynamic dependencies). */
  open: boolean;
  /** The folder's manifests are requirement files only (no pyproject, setup, Pipfile or conda file). */
  requirementsOnly: boolean;
}

const PY_LOCKS = ['uv.lock', 'poetry.lock', 'Pipfile.lock', 'pdm.lock', 'requirements.lock', 'requirements-lock.txt', 'conda-lock.yml'];

export function pythonMissingSdk(files: ProjectFiles, importers: { file: string; imports: SdkImport[] }[]): MissingSdk[] {
  if (importers.length === 0) return [];
  if (installedElsewhere(files, 'temporalio') || installedByRequirementsCommand(files)) return [];
  // requirement files are put together per environment (a Dockerfile, a CI job): one that declares
  // the SDK anywhere in the tree may be the one installed where a requirements-governed file runs
  const requirementsDeclare = files
    .globProjectFiles(['**/requirements*.txt', '**/requirements/*.txt', '**/requirements*.in'])
    .some((file) => !VENDORED.test(file) && mentionsPythonSdk(files.readProjectFile(file) ?? ''));
  const byManifest = new Map<string, { governing: Governing; importers: { file: string; line: number }[] }>();
  for (const importer of importers) {
    const governing = pythonGoverning(files, importer.file);
    if (!governing || governing.open) continue;
    if (governing.texts.some(mentionsPythonSdk)) continue;
    if (governing.requirementsOnly && requirementsDeclare) continue;
    // a manifest further up (a workspace root) or a lock file that lists it: installed after all
    if (ancestorsDeclare(files, governing.directory)) continue;
    const entry = byManifest.get(governing.manifest) ?? { governing, importers: [] };
    entry.importers.push({ file: importer.file, line: importer.imports[0]!.line });
    byManifest.set(governing.manifest, entry);
  }
  return [...byManifest.values()].map(({ governing, importers: list }) => ({
    manifest: governing.manifest,
    line: governing.line,
    packages: ['temporalio'],
    importers: list.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
  }));
}

function mentionsPythonSdk(text: string): boolean {
  return /(^|[^\w.-])temporalio(?![\w-])/im.test(text);
}

function ancestorsDeclare(files: ProjectFiles, directory: string): boolean {
  for (let dir = directory; ; dir = parentOf(dir)) {
    for (const lock of PY_LOCKS) {
      const text = files.readProjectFile(join(dir, lock));
      if (text !== undefined && mentionsPythonSdk(text)) return true;
    }
    if (dir !== directory) {
      for (const name of ['pyproject.toml', 'setup.py', 'setup.cfg', 'Pipfile', 'requirements.txt']) {
        const text = files.readProjectFile(join(dir, name));
        if (text !== undefined && mentionsPythonSdk(text)) return true;
      }
    }
    if (dir === '') return false;
  }
}

/** Files that install requirement files in a build or CI job: Dockerfiles, scripts, Makefiles, CI configs. */
const INSTALL_SCRIPTS = ['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/*.dockerfile', '**/*.sh', '**/Makefile', '.github/workflows/*.yml', '.github/workflows/*.yaml', '**/.gitlab-ci.yml', '.circleci/config.yml', '**/azure-pipelines.yml', '**/tox.ini'];

/**
 * A Dockerfile, script or CI file runs `pip install -r <file>` (also `uv pip install -r`) on a file
 * that lists temporalio: whatever that image or job runs has the SDK. The path is read from the
 * folder of the installing file and from the reviewed directory.
 */
function installedByRequirementsCommand(files: ProjectFiles): boolean {
  for (const file of files.globProjectFiles(INSTALL_SCRIPTS)) {
    if (VENDORED.test(file)) continue;
    const text = files.readProjectFile(file);
    if (text === undefined || !/\bpip3?\b/.test(text)) continue;
    for (const line of text.split(/\r?\n/)) {
      if (!/\bpip3?\b[^\n]*\binstall\b/.test(line)) continue;
      for (const match of line.matchAll(/(?:^|\s)(?:-r|--requirement)(?:\s+|=)?([^\s;&|]+)/g)) {
        const named = match[1]!.replace(/^["']|["']$/g, '');
        if (named.includes('$')) continue;
        const candidates = [path.posix.normalize(join(parentOf(file), named)), path.posix.normalize(named.replace(/^\/+/, ''))];
        if (candidates.some((candidate) => !candidate.startsWith('..') && mentionsPythonSdk(files.readProjectFile(candidate) ?? ''))) return true;
      }
    }
  }
  return false;
}

/** A Dockerfile or shell script that installs the package by name. */
function installedElsewhere(files: ProjectFiles, name: string): boolean {
  const pattern = new RegExp(`(pip3?|uv|poetry|pipx|npm|yarn|pnpm|bun)\\b[^\\n]*\\b(install|add)\\b[^\\n]*${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`);
  for (const file of files.globProjectFiles(['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/*.dockerfile', '**/*.sh', '**/Makefile'])) {
    if (VENDORED.test(file)) continue;
    const text = files.readProjectFile(file);
    if (text !== undefined && pattern.test(text)) return true;
  }
  return false;
}

function pythonGoverning(files: ProjectFiles, file: string): Governing | undefined {
  for (let dir = parentOf(file); ; dir = parentOf(dir)) {
    const found = pythonManifestsIn(files, dir);
    if (found) return found;
    if (dir === '') return undefined;
  }
}

function pythonManifestsIn(files: ProjectFiles, dir: string): Governing | undefined {
  const texts: string[] = [];
  let manifest: string | undefined;
  let line = 1;
  let open = false;
  let counts = false;
  let packaged = false;
  let runtimeRequirements = false;
  const pyprojectPath = join(dir, 'pyproject.toml');
  const pyproject = files.readProjectFile(pyprojectPath);
  // a pyproject.toml that lists no dependencies (tool settings, a name) leaves them to other files
  if (pyproject !== undefined && /^\s*(dependencies\s*=|\[tool\.poetry\.dependencies\])/m.test(pyproject)) {
    counts = true;
    packaged = true;
    manifest = pyprojectPath;
    texts.push(pyproject);
    line = lineOf(pyproject, /^\s*(dependencies\s*=|\[tool\.poetry\.dependencies\])/m) ?? lineOf(pyproject, /^\s*\[(project|tool\.poetry)\]/m) ?? 1;
    if (/^\s*dynamic\s*=.*["']dependencies["']/m.test(pyproject) || /^\s*dynamic\s*=\s*\[[^\]]*["']dependencies["']/m.test(pyproject)) open = true;
    if (/\bpath\s*=|\bworkspace\s*=\s*true|file:\/\/|\[tool\.uv\.workspace\]|\[tool\.uv\.sources\]|\bgit\+|\bgit\s*=/.test(pyproject)) open = true;
  }
  for (const name of ['setup.py', 'setup.cfg']) {
    const text = files.readProjectFile(join(dir, name));
    if (text === undefined || !/install_requires/.test(text)) continue;
    counts = true;
    packaged = true;
    manifest ??= join(dir, name);
    texts.push(text);
    // install_requires read from a file or built by code: whatever it lists is not written here
    if (name === 'setup.py' && !/install_requires\s*=\s*\[/.test(text)) open = true;
    if (/\bopen\s*\(|read_text|parse_requirements|requirements/.test(text) && !mentionsPythonSdk(text)) open = true;
  }
  const pipfile = files.readProjectFile(join(dir, 'Pipfile'));
  if (pipfile !== undefined) {
    counts = true;
    packaged = true;
    manifest ??= join(dir, 'Pipfile');
    texts.push(pipfile);
    line = manifest === join(dir, 'Pipfile') ? lineOf(pipfile, /^\s*\[packages\]/m) ?? 1 : line;
  }
  const requirementFiles = files
    .globProjectFiles([join(dir, 'requirements*.txt'), join(dir, 'requirements/*.txt'), join(dir, 'requirements*.in')])
    .filter((f) => !VENDORED.test(f))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const requirement of requirementFiles) {
    const text = files.readProjectFile(requirement);
    if (text === undefined || !/^\s*[A-Za-z0-9-][^\n]*$/m.test(text.replace(/#.*$/gm, ''))) continue;
    // a dev, test, lint or docs requirement file holds tools, not what the code needs to run: it
    // is read with the folder's other requirement files but does not make the folder the owner
    if (!DEV_REQUIREMENTS.test(path.posix.basename(requirement))) runtimeRequirements = true;
    counts = true;
    manifest ??= requirement;
    texts.push(text);
    for (const raw of text.split(/\r?\n/)) {
      const entry = raw.replace(/#.*$/, '').trim();
      if (entry === '') continue;
      const include = /^-(?:r|c|-requirement|-constraint)\s*=?\s*(\S+)/.exec(entry);
      if (include) {
        const included = files.readProjectFile(path.posix.normalize(join(parentOf(requirement), include[1]!)));
        if (included === undefined) open = true;
        else texts.push(included);
        continue;
      }
      // an editable install, a local path or a URL brings whatever its own manifest lists
      if (/^-e\b|^--editable\b|^\.|^\/|^file:|:\/\/|\s@\s/.test(entry)) open = true;
    }
  }
  for (const name of ['environment.yml', 'environment.yaml', 'conda.yml', 'conda.yaml']) {
    const text = files.readProjectFile(join(dir, name));
    if (text === undefined) continue;
    counts = true;
    packaged = true;
    manifest ??= join(dir, name);
    texts.push(text);
    if (/^\s*-\s*-r\b|^\s*-\s*-e\b|file:/m.test(text)) open = true;
  }
  if (!counts || manifest === undefined) return undefined;
  // only dev or test requirement files here: the runtime dependencies are governed further up
  if (!packaged && !runtimeRequirements && !texts.some(mentionsPythonSdk)) return undefined;
  return { directory: dir, manifest, line, texts, open, requirementsOnly: !packaged };
}

/** requirements-dev.txt, requirements_test.txt, requirements-lint.in, requirements/docs.txt: tools, not runtime dependencies. */
const DEV_REQUIREMENTS = /(^|[-_.])(dev|develop|development|test|tests|testing|lint|linting|docs?|typing)([-_.]|$)/i;

/** requirements.txt before requirements-prod.txt before requirements-dev.txt. */
function rank(file: string): number {
  const base = path.posix.basename(file);
  if (base === 'requirements.txt') return 0;
  if (/dev|test|lint|doc/i.test(base)) return 2;
  return 1;
}

// ---------------------------------------------------------------------------------------------
// TypeScript

/** What each SDK package brings with it (its own dependencies), so importing those works too. */
const BRINGS: Record<string, string[]> = {
  '@temporalio/client': ['@temporalio/common', '@temporalio/proto'],
  '@temporalio/common': ['@temporalio/proto'],
  '@temporalio/workflow': ['@temporalio/common', '@temporalio/proto'],
  '@temporalio/activity': ['@temporalio/common', '@temporalio/proto', '@temporalio/client'],
  '@temporalio/worker': ['@temporalio/activity', '@temporalio/client', '@temporalio/common', '@temporalio/core-bridge', '@temporalio/proto', '@temporalio/workflow', '@temporalio/nexus', '@temporalio/plugin'],
  '@temporalio/testing': ['@temporalio/activity', '@temporalio/client', '@temporalio/common', '@temporalio/core-bridge', '@temporalio/proto', '@temporalio/worker', '@temporalio/workflow', '@temporalio/nexus', '@temporalio/plugin'],
  '@temporalio/interceptors-opentelemetry': ['@temporalio/activity', '@temporalio/client', '@temporalio/common', '@temporalio/proto', '@temporalio/workflow', '@temporalio/worker', '@temporalio/plugin'],
};
/** The deprecated meta package brings every SDK package. */
const META = 'temporalio';

interface PackageJson {
  file: string;
  dependencies: Set<string>;
  /** Line of `"dependencies"`, else 1. */
  line: number;
}

export function typescriptMissingSdk(files: ProjectFiles, importers: { file: string; imports: SdkImport[] }[]): MissingSdk[] {
  if (importers.length === 0) return [];
  const cache = new Map<string, PackageJson | null>();
  const read = (dir: string): PackageJson | null => {
    if (cache.has(dir)) return cache.get(dir)!;
    const file = join(dir, 'package.json');
    const parsed = readPackageJson(files, file);
    cache.set(dir, parsed);
    return parsed;
  };
  const workspace =
    /"workspaces"\s*:/.test(files.readProjectFile('package.json') ?? '') ||
    ['pnpm-workspace.yaml', 'lerna.json', 'nx.json', 'rush.json', 'turbo.json'].some((name) => files.readProjectFile(name) !== undefined);
  // in a workspace any member's dependency may be hoisted where every member resolves it
  const everywhere = new Set<string>();
  if (workspace) {
    for (const file of files.globProjectFiles(['**/package.json'])) {
      if (VENDORED.test(file)) continue;
      for (const name of read(parentOf(file))?.dependencies ?? []) everywhere.add(name);
    }
  }
  const locks = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'npm-shrinkwrap.json'];
  const byManifest = new Map<string, { pkg: PackageJson; packages: Set<string>; importers: { file: string; line: number }[] }>();
  for (const importer of importers) {
    let nearest: PackageJson | undefined;
    const declared = new Set<string>(everywhere);
    let locked = '';
    for (let dir = parentOf(importer.file); ; dir = parentOf(dir)) {
      const pkg = read(dir);
      const first = !!pkg && !nearest;
      if (pkg) {
        nearest ??= pkg;
        for (const name of pkg.dependencies) declared.add(name);
      }
      let ownLock = false;
      for (const lock of locks) {
        const text = files.readProjectFile(join(dir, lock));
        if (text === undefined) continue;
        locked += text;
        ownLock = true;
      }
      if (dir === '') break;
      // Outside a workspace, a package with its own lock file is installed on its own (an Azure
      // Functions app, a Lambda, a service with its own Dockerfile): its parent's dependencies are
      // not installed with it.
      if (first && ownLock && !workspace) break;
    }
    if (!nearest) continue;
    if (declared.has(META)) continue;
    const provided = closure(declared);
    const missing = [...new Set(importer.imports.map((i) => i.name))].filter((name) => !provided.has(name) && !locked.includes(`${name}@`) && !locked.includes(`"node_modules/${name}"`) && !locked.includes(`/${name}/`));
    if (missing.length === 0) continue;
    const entry = byManifest.get(nearest.file) ?? { pkg: nearest, packages: new Set<string>(), importers: [] };
    for (const name of missing) entry.packages.add(name);
    entry.importers.push({ file: importer.file, line: importer.imports.find((i) => missing.includes(i.name))!.line });
    byManifest.set(nearest.file, entry);
  }
  return [...byManifest.values()].map(({ pkg, packages, importers: list }) => ({
    manifest: pkg.file,
    line: pkg.line,
    packages: [...packages].sort(),
    importers: list.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line),
  }));
}

function closure(declared: Set<string>): Set<string> {
  const provided = new Set(declared);
  const queue = [...declared];
  while (queue.length > 0) {
    const name = queue.shift()!;
    // any SDK package brings the shared ones
    const brought = BRINGS[name] ?? (name.startsWith('@temporalio/') ? ['@temporalio/common', '@temporalio/proto'] : []);
    for (const next of brought) if (!provided.has(next)) (provided.add(next), queue.push(next));
  }
  return provided;
}

function readPackageJson(files: ProjectFiles, file: string): PackageJson | null {
  const text = files.readProjectFile(file);
  if (text === undefined) return null;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const keys = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
  // a package.json that only marks the module type of a folder (`{"type": "module"}`) is not a manifest
  if (!('name' in parsed) && !keys.some((key) => key in parsed)) return null;
  const dependencies = new Set<string>();
  for (const key of keys) {
    const value = parsed[key];
    if (value && typeof value === 'object') for (const name of Object.keys(value)) dependencies.add(name);
  }
  // a package.json that lists no dependency at all leaves them to something else (a root outside the review)
  if (dependencies.size === 0) return null;
  return {
    file,
    dependencies,
    line: lineOf(text, /^\s*"dependencies"\s*:/m) ?? 1,
  };
}

// ---------------------------------------------------------------------------------------------

function parentOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' || dir === '/' ? '' : dir;
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  return text.slice(0, match.index + (match[0].length - match[0].trimStart().length)).split('\n').length;
}
