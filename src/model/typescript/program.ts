// One ts.Program per project, built once. Only what the model needs is computed: no semantic
// diagnostics (a full type check would cost more than `tsc --noEmit`); syntax errors come from
// the parser. Declaration files shared by several projects (lib, node_modules) are parsed once,
// and so are the project's own files that several projects' programs include (a monorepo's
// packages, imported by each app): each would otherwise be parsed and bound once per program.

import ts from 'typescript';
import { sourceFileProblem } from '../../engine/bounded-file.js';
import type { DiscoveredProject } from './discover-projects.js';
import { workspaceModuleSource } from './workspace-packages.js';

export interface BuiltProject {
  tsconfig: string | null;
  options: ts.CompilerOptions;
  program: ts.Program;
  checker: ts.TypeChecker;
  /** Files of this project that the model reviews. */
  reviewedFiles: string[];
  resolutionHost: ts.ModuleResolutionHost;
  resolutionCache: ts.ModuleResolutionCache;
}

/**
 * Parsed (and bound) declaration files of lib and node_modules, shared by every program this
 * process builds: a monorepo's projects, and repeated reviews in one process (tests, watch mode).
 * The TypeScript language service shares source files across programs the same way.
 */
const sharedDeclarations = new Map<string, ts.SourceFile | undefined>();

/**
 * `root` is the reviewed directory: a bare import of one of its workspace packages that the
 * compiler cannot resolve (the workspace is not installed) is resolved to that package's sources.
 */
export function buildPrograms(projects: DiscoveredProject[], root?: string): BuiltProject[] {
  // Per run, unlike declarations: the project's sources change between reviews (watch mode, tests).
  const sharedSources = new Map<string, ts.SourceFile | undefined>();
  return projects.map((project) => buildProgram(project, sharedDeclarations, sharedSources, root));
}

/** Frees the shared declaration files (for long-running hosts that review many code bases). */
export function clearSharedDeclarations(): void {
  sharedDeclarations.clear();
}

function buildProgram(
  project: DiscoveredProject,
  shared: Map<string, ts.SourceFile | undefined>,
  sharedSources: Map<string, ts.SourceFile | undefined>,
  root: string | undefined,
): BuiltProject {
  const options = project.options;
  // Like tsc: no parent pointers from the parser (the binder sets them) and no JSDoc parsing in
  // TypeScript files, which saves a good share of parse time and memory.
  const host = ts.createCompilerHost(options);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const resolutionCache = ts.createModuleResolutionCache(host.getCurrentDirectory(), host.getCanonicalFileName, options);
  const getSourceFile = host.getSourceFile.bind(host);
  // Declaration files parse and bind alike under any options but these (and the language
  // version and module format, which are part of the key below).
  const bindingKey = String(options.moduleDetection);
  const sourceKey = sourceAffectingKey(options);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    const format = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions.impliedNodeFormat : undefined;
    const version = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions.languageVersion : languageVersionOrOptions;
    if (!isSharedDeclaration(fileName)) {
      // A file imported by a reviewed one but too large, minified or not a regular file (discovery
      // left it out of the reviewed files, with a diagnostic) is seen as empty, not parsed.
      if (sourceFileProblem(fileName)) return ts.createSourceFile(fileName, '', languageVersionOrOptions);
      // A project file is parsed and bound alike by programs whose source-affecting options agree
      // (the language service shares files across projects on the same key).
      const key = `${fileName}|${version}|${format}|${sourceKey}`;
      if (!sharedSources.has(key)) sharedSources.set(key, getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate));
      return sharedSources.get(key);
    }
    const key = `${fileName}|${version}|${format}|${bindingKey}`;
    if (!shared.has(key)) {
      const sourceFile = PROTO_DECLARATIONS.test(fileName)
        ? ts.createSourceFile(fileName, PROTO_STUB, languageVersionOrOptions)
        : getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
      shared.set(key, sourceFile);
    }
    return shared.get(key);
  };
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const resolved = ts.resolveModuleName(
        literal.text,
        containingFile,
        compilerOptions,
        host,
        resolutionCache,
        redirectedReference,
        ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions),
      );
      if (resolved.resolvedModule || !root) return resolved;
      // The workspace is not installed: a package of it, by name, stands for its sources (the
      // package manager's link would point there), so its types and constants resolve.
      const source = workspaceModuleSource(root, literal.text);
      if (!source) return resolved;
      return { ...resolved, resolvedModule: { resolvedFileName: source, extension: extensionOf(source), isExternalLibraryImport: false } };
    });
  const program = ts.createProgram({ rootNames: project.rootNames, options, host });
  // Creating the checker binds every file (which also sets parent pointers); it does not type check.
  const checker = program.getTypeChecker();
  return {
    tsconfig: project.tsconfig,
    options,
    program,
    checker,
    reviewedFiles: project.rootNames.filter((file) => program.getSourceFile(file) !== undefined),
    resolutionHost: host,
    resolutionCache,
  };
}

/**
 * The SDK's generated protobuf declarations (9 MB, about half of what a Temporal project's
 * program parses) describe wire messages the model never reads: checks look at the project's
 * own types and at resolved option values. The namespaces stay declared so imports bind.
 */
const PROTO_DECLARATIONS = /[\\/]@temporalio[\\/]proto[\\/]protos[\\/]root\.d\.ts$/;
const PROTO_STUB = ['coresdk', 'temporal', 'nexusannotations', 'google', 'grpc'].map((name) => `export declare namespace ${name} {}`).join('\n');

/**
 * The compiler options that change how a file parses or binds (target, jsx, alwaysStrict,
 * moduleDetection, ...), as TypeScript lists them for its document registry.
 */
const SOURCE_AFFECTING: readonly string[] = (ts as unknown as { sourceFileAffectingCompilerOptions?: { name: string }[] }).sourceFileAffectingCompilerOptions?.map((o) => o.name) ?? [
  'target',
  'module',
  'jsx',
  'importHelpers',
  'alwaysStrict',
  'noFallthroughCasesInSwitch',
  'moduleResolution',
  'jsxImportSource',
  'allowUnusedLabels',
  'allowUnreachableCode',
  'moduleDetection',
];

function sourceAffectingKey(options: ts.CompilerOptions): string {
  // alwaysStrict follows strict when unset: compare the value the binder uses.
  const effective: Record<string, unknown> = { ...options, alwaysStrict: options.alwaysStrict ?? options.strict };
  return JSON.stringify(SOURCE_AFFECTING.map((name) => effective[name] ?? null));
}

function extensionOf(file: string): ts.Extension {
  if (file.endsWith('.tsx')) return ts.Extension.Tsx;
  if (file.endsWith('.mts')) return ts.Extension.Mts;
  if (file.endsWith('.cts')) return ts.Extension.Cts;
  return ts.Extension.Ts;
}

function isSharedDeclaration(fileName: string): boolean {
  return /\.d\.[mc]?ts$/.test(fileName) && (fileName.includes('/node_modules/') || fileName.includes('/typescript/lib/'));
}
