// The projects' programs seen as one code base: which program owns a file, its checker, and
// module resolution with that project's options. Everything else in the model asks this index.

import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import type { BuiltProject } from './program.js';
import { packageImportCandidates } from './package-imports.js';
import { workspaceModuleSource, workspacePath } from './workspace-packages.js';

export interface CodeIndex {
  root: string;
  projects: BuiltProject[];
  /** Reviewed files (absolute), sorted. */
  files: string[];
  isReviewed(file: string): boolean;
  sourceFile(file: string): ts.SourceFile | undefined;
  checkerFor(file: string): ts.TypeChecker | undefined;
  projectFor(file: string): BuiltProject | undefined;
  /**
   * Resolves an import specifier from a file: an absolute path, or null for Node built-ins and
   * modules that cannot be found. Declaration files of packages are returned as found.
   */
  resolveModule(fromFile: string, specifier: string, literal?: ts.StringLiteralLike): string | null;
}

const BUILTINS = new Set(builtinModules);

export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!);
}

export function createCodeIndex(root: string, projects: BuiltProject[]): CodeIndex {
  const owner = new Map<string, BuiltProject>();
  const reviewed = new Set<string>();
  for (const project of projects) {
    for (const file of project.reviewedFiles) {
      if (!owner.has(file)) owner.set(file, project);
      reviewed.add(file);
    }
  }
  // Files outside the reviewed set (another package's sources, declaration files) belong to the
  // first program that loaded them.
  const projectFor = (file: string): BuiltProject | undefined => {
    const known = owner.get(file);
    if (known) return known;
    const found = projects.find((p) => p.program.getSourceFile(file) !== undefined);
    if (found) owner.set(file, found);
    return found;
  };
  const files = [...reviewed].sort();
  return {
    root,
    projects,
    files,
    isReviewed: (file) => reviewed.has(file),
    projectFor,
    sourceFile: (file) => projectFor(file)?.program.getSourceFile(file),
    checkerFor: (file) => projectFor(file)?.checker,
    resolveModule(fromFile, specifier, literal) {
      if (isNodeBuiltin(specifier) && !specifier.startsWith('.')) return null;
      const project = projectFor(fromFile) ?? projects[0];
      if (!project) return null;
      const sourceFile = literal?.getSourceFile();
      const mode = literal && sourceFile ? ts.getModeForUsageLocation(sourceFile, literal, project.options) : undefined;
      const result = ts.resolveModuleName(specifier, fromFile, project.options, project.resolutionHost, project.resolutionCache, undefined, mode);
      const resolved = result.resolvedModule?.resolvedFileName;
      if (resolved) return path.resolve(resolved);
      // A relative import the project's settings reject (no extension under NodeNext, say)
      // still names a file the bundler finds: take a source file of the programs.
      if (specifier.startsWith('.')) return relativeSourceFile(path.resolve(path.dirname(fromFile), specifier), projects);
      // A package.json subpath import the project's settings do not follow (node10 resolution):
      // its targets, or the sources of compiled output it points to.
      if (specifier.startsWith('#')) {
        for (const candidate of packageImportCandidates(fromFile, specifier, project.options.customConditions)) {
          const source = relativeSourceFile(candidate, projects) ?? relativeSourceFile(candidate.replace(/([\\/])(?:dist|lib|build)([\\/])/, '$1src$2'), projects);
          if (source) return source;
        }
        return null;
      }
      // A workspace package, not installed: its sources in the tree.
      const inWorkspace = workspacePath(root, specifier);
      if (!inWorkspace) return null;
      const direct = relativeSourceFile(inWorkspace, projects) ?? relativeSourceFile(path.join(inWorkspace, 'src'), projects);
      if (direct) return direct;
      // Its package.json entry, mapped from compiled output back to sources.
      const entry = workspaceModuleSource(root, specifier);
      return entry && projects.some((p) => p.program.getSourceFile(entry) !== undefined) ? entry : null;
    },
  };
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

function relativeSourceFile(target: string, projects: BuiltProject[]): string | null {
  const stem = target.replace(/\.(m|c)?jsx?$/, '');
  const candidates = [...SOURCE_EXTENSIONS.map((e) => stem + e), ...SOURCE_EXTENSIONS.map((e) => path.join(target, `index${e}`))];
  return candidates.find((candidate) => projects.some((p) => p.program.getSourceFile(candidate) !== undefined)) ?? null;
}
