// Which files to review and with which compiler options: the explicit `-p` tsconfigs, else every
// tsconfig.json under the root, else all TypeScript files with default options. A file claimed
// by several projects is reviewed once, by the nearest (deepest) tsconfig.

import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import ts from 'typescript';
import type { Diagnostic } from '../../engine/types.js';
import { UsageError } from '../../engine/errors.js';
import { CONFIG_FILE_MAX_BYTES, fileProblem, sourceFileProblem } from '../../engine/bounded-file.js';
import { isInside, linkOnTheWay, outsideLinkMessage, realFolder, resolveInside } from '../../engine/real-path-inside.js';
import { relativePath } from './locate.js';
import { isTypeScriptSource, walkProject } from './walk-files.js';
import { packageRootOf, workspaceDirectoryBehindNodeModules, workspaceFileBehindNodeModules } from './workspace-packages.js';

export interface DiscoveredProject {
  /** The tsconfig.json, or null for the default options. */
  tsconfig: string | null;
  options: ts.CompilerOptions;
  /** Files this project reviews (not claimed by another project). */
  rootNames: string[];
}

export interface DiscoverOptions {
  root: string;
  projects?: string[];
  include?: string[];
  exclude?: string[];
}

/** Options for a directory without tsconfig.json: what a modern Temporal project uses. */
export const DEFAULT_COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  jsx: ts.JsxEmit.Preserve,
  skipLibCheck: true,
  noEmit: true,
};

export function discoverProjects(options: DiscoverOptions): { projects: DiscoveredProject[]; diagnostics: Diagnostic[] } {
  const root = path.resolve(options.root);
  const diagnostics: Diagnostic[] = [];
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new UsageError(`${options.root}: not a directory`);
  }
  const accept = fileFilter(root, options.include ?? [], options.exclude ?? []);
  const walked = options.projects?.length ? undefined : walkProject(root, accept);
  for (const directory of walked?.unreadable ?? []) {
    diagnostics.push({ kind: 'skipped-file', message: `${relativePath(root, directory) || '.'}: directory cannot be read` });
  }
  const outsideLinks = new Set(walked?.outside ?? []);

  const tsconfigPaths = options.projects?.length
    ? options.projects.map((p) => explicitTsconfig(root, p))
    : walked!.tsconfigs;
  const parsed = parseTsconfigs(tsconfigPaths, Boolean(options.projects?.length), root, diagnostics);
  const { projects, claimedKey } = assignFiles(parsed, accept, root, outsideLinks);
  for (const link of [...outsideLinks].sort()) {
    const label = relativePath(root, link);
    diagnostics.push({ kind: 'skipped-file', file: label, message: outsideLinkMessage(label) });
  }

  if (projects.length === 0 && walked && walked.sourceFiles.length > 0) {
    projects.push({ tsconfig: null, options: { ...DEFAULT_COMPILER_OPTIONS }, rootNames: walked.sourceFiles });
  } else if (walked && walked.sourceFiles.length > 0) {
    // Files no tsconfig includes (a package without its own tsconfig, next to packages that have
    // one) would otherwise not be reviewed at all: review those of packages that use Temporal with
    // the default options, and say so.
    const unclaimed = temporalPackagesOf(
      walked.sourceFiles.filter((file) => accept(file) && !claimedKey(file)),
      root,
    );
    if (unclaimed.length > 0) {
      projects.push({ tsconfig: null, options: { ...DEFAULT_COMPILER_OPTIONS }, rootNames: unclaimed });
      const example = relativePath(root, unclaimed[0]!);
      diagnostics.push({
        kind: 'note',
        message: `${unclaimed.length} TypeScript file${unclaimed.length === 1 ? '' : 's'} that no tsconfig.json includes (such as ${example}) ${unclaimed.length === 1 ? 'was' : 'were'} reviewed with default compiler options`,
      });
    }
  }
  const kept = withoutUnparsableSources(projects, root, diagnostics);
  if (kept.length === 0) {
    throw new UsageError(`${options.root}: no TypeScript files found`);
  }
  return { projects: kept, diagnostics };
}

/**
 * The unclaimed files that belong to Temporal code: those that import @temporalio/*, and the other
 * files of the same package (the nearest package.json), such as the activities a worker imports.
 * Unclaimed files of packages that never touch Temporal (a front end, seed data, build configs)
 * stay out: they would only add noise.
 */
function temporalPackagesOf(files: string[], root: string): string[] {
  const contents = new Map(files.map((file) => [file, readSource(file)]));
  const packages = new Set(files.filter((file) => contents.get(file)?.includes('@temporalio/')).map((file) => packageRootOf(file, root)));
  return files.filter((file) => packages.has(packageRootOf(file, root)) && contents.get(file) !== undefined);
}

/**
 * The text of a source file, read once; undefined when it cannot be read, is over the parser's
 * bound, or holds a NUL byte (a binary file that happens to end in .ts: an MPEG transport stream).
 */
function readSource(file: string): string | undefined {
  if (sourceFileProblem(file)) return undefined;
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Projects without the sources too large, minified or not regular files to parse (each a diagnostic). */
function withoutUnparsableSources(projects: DiscoveredProject[], root: string, diagnostics: Diagnostic[]): DiscoveredProject[] {
  const kept: DiscoveredProject[] = [];
  for (const project of projects) {
    const rootNames = project.rootNames.filter((file) => {
      const problem = sourceFileProblem(file);
      if (problem) diagnostics.push({ kind: 'skipped-file', file: relativePath(root, file), message: `${relativePath(root, file)}: not reviewed: ${problem}` });
      return !problem;
    });
    if (rootNames.length > 0) kept.push({ ...project, rootNames });
  }
  return kept;
}

function fileFilter(root: string, include: string[], exclude: string[]): (file: string) => boolean {
  const included = include.length > 0 ? picomatch(include, { dot: true }) : () => true;
  const excluded = exclude.length > 0 ? picomatch(exclude, { dot: true }) : () => false;
  return (file) => {
    const relative = relativePath(root, file);
    return included(relative) && !excluded(relative);
  };
}

function explicitTsconfig(root: string, given: string): string {
  const candidates = path.isAbsolute(given) ? [given] : [path.resolve(root, given), path.resolve(given)];
  for (const candidate of candidates) {
    if (!fs.existsSync(candidate)) continue;
    if (fs.statSync(candidate).isDirectory()) {
      const inside = path.join(candidate, 'tsconfig.json');
      if (fs.existsSync(inside)) return checkedTsconfig(inside);
      continue;
    }
    return checkedTsconfig(candidate);
  }
  throw new UsageError(`${given}: tsconfig not found`);
}

/** A tsconfig given with -p that is a named pipe or a device would hang or exhaust the reader. */
function checkedTsconfig(file: string): string {
  const problem = fileProblem(file, CONFIG_FILE_MAX_BYTES);
  if (problem) throw new UsageError(`${file}: cannot read the tsconfig (${problem})`);
  return file;
}

interface ParsedTsconfig {
  tsconfig: string;
  config: ts.ParsedCommandLine;
}

/** "Cannot read file" and "File not found": how TypeScript reports an `extends` it cannot find. */
const MISSING_FILE_CODES = new Set([5083, 6053]);

function parseTsconfigs(paths: string[], explicit: boolean, root: string, diagnostics: Diagnostic[]): ParsedTsconfig[] {
  const result: ParsedTsconfig[] = [];
  const seen = new Set<string>();
  const queue = [...paths];
  while (queue.length > 0) {
    const tsconfig = path.resolve(queue.shift()!);
    if (seen.has(tsconfig)) continue;
    seen.add(tsconfig);
    let fatal: ts.Diagnostic | undefined;
    const host: ts.ParseConfigFileHost = {
      ...ts.sys,
      ...workspaceLinks(root),
      onUnRecoverableConfigFileDiagnostic: (d) => {
        fatal = d;
      },
    };
    const config = ts.getParsedCommandLineOfConfigFile(tsconfig, { noEmit: true }, host);
    if (!config || fatal) {
      const message = fatal ? ts.flattenDiagnosticMessageText(fatal.messageText, ' ') : 'cannot be parsed';
      if (explicit) throw new UsageError(`${tsconfig}: ${message}`);
      diagnostics.push({ kind: 'parse-error', file: relativePath(root, tsconfig), line: 1, message: `${relativePath(root, tsconfig)}:1: ${message}` });
      continue;
    }
    // TypeScript reads past JSON syntax errors; say so, as other config errors do not stop the review.
    const syntaxError = ts.readConfigFile(tsconfig, ts.sys.readFile).error;
    if (syntaxError) {
      const message = ts.flattenDiagnosticMessageText(syntaxError.messageText, ' ');
      const line = syntaxError.file && syntaxError.start !== undefined ? syntaxError.file.getLineAndCharacterOfPosition(syntaxError.start).line + 1 : 1;
      diagnostics.push({ kind: 'parse-error', file: relativePath(root, tsconfig), line, message: `${relativePath(root, tsconfig)}:${line}: ${message}` });
    }
    // A missing `extends` target is no fatal error to TypeScript, which then reviews the project
    // with the options of this file alone: say so, since the verdicts may differ from the build's.
    for (const error of config.errors.filter((e) => MISSING_FILE_CODES.has(e.code))) {
      const message = ts.flattenDiagnosticMessageText(error.messageText, ' ').split(`${root}${path.sep}`).join('').replace(/\.$/, '');
      diagnostics.push({ kind: 'parse-error', file: relativePath(root, tsconfig), line: 1, message: `${relativePath(root, tsconfig)}:1: ${message}; the project is reviewed without the options it would inherit` });
    }
    result.push({ tsconfig, config });
    // A solution-style tsconfig given with -p reviews the projects it references.
    if (explicit) {
      for (const reference of config.projectReferences ?? []) queue.push(ts.resolveProjectReferencePath(reference));
    }
  }
  return result;
}

/**
 * File access for tsconfig parsing that sees the workspace's own packages where an install would
 * have linked them into node_modules, so `"extends": "@acme/tsconfig/base.json"` finds
 * packages/tsconfig/base.json in a code base reviewed without installing it.
 */
function workspaceLinks(root: string): Pick<ts.ParseConfigFileHost, 'fileExists' | 'readFile' | 'realpath'> & { directoryExists: (d: string) => boolean } {
  const linked = (file: string): string | undefined => {
    if (ts.sys.fileExists(file)) return undefined;
    const target = workspaceFileBehindNodeModules(root, file);
    return target && ts.sys.fileExists(target) ? target : undefined;
  };
  return {
    fileExists: (file) => ts.sys.fileExists(file) || linked(file) !== undefined,
    readFile: (file) => ts.sys.readFile(linked(file) ?? file),
    directoryExists: (directory) => ts.sys.directoryExists(directory) || workspaceDirectoryBehindNodeModules(root, directory),
    realpath: (file) => {
      const target = linked(file) ?? file;
      return ts.sys.realpath ? ts.sys.realpath(target) : target;
    },
  };
}

/**
 * Gives each file to the deepest project that lists it, once by real path. A file the tsconfig
 * reaches through a symbolic link out of the root is left out; the link goes to `outsideLinks`.
 */
/** The projects, each with the files it claims, and whether a file (by its real path) is claimed. */
function assignFiles(
  parsed: ParsedTsconfig[],
  accept: (file: string) => boolean,
  root: string,
  outsideLinks: Set<string>,
): { projects: DiscoveredProject[]; claimedKey: (file: string) => boolean } {
  const realRoot = realFolder(root);
  const depth = (p: string) => path.dirname(p).split(path.sep).length;
  const ordered = [...parsed].sort((a, b) => depth(b.tsconfig) - depth(a.tsconfig) || a.tsconfig.localeCompare(b.tsconfig));
  const claimed = new Set<string>();
  const projects: DiscoveredProject[] = [];
  for (const { tsconfig, config } of ordered) {
    const rootNames: string[] = [];
    for (const fileName of config.fileNames) {
      const file = path.resolve(fileName);
      if (!isTypeScriptSource(file) || file.split(path.sep).includes('node_modules')) continue;
      if (!accept(file)) continue;
      const resolved = resolveInside(realRoot, file);
      if (resolved && !resolved.inside && isInside(root, file)) {
        outsideLinks.add(linkOnTheWay(root, file));
        continue;
      }
      const key = resolved?.real ?? file;
      if (claimed.has(key)) continue;
      claimed.add(key);
      rootNames.push(file);
    }
    if (rootNames.length === 0) continue;
    projects.push({
      tsconfig,
      options: { ...config.options, noEmit: true, skipLibCheck: true },
      rootNames: rootNames.sort(),
    });
  }
  return {
    projects: projects.sort((a, b) => (a.tsconfig ?? '').localeCompare(b.tsconfig ?? '')),
    claimedKey: (file) => claimed.has(resolveInside(realRoot, file)?.real ?? file),
  };
}
