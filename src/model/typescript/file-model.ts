// The Temporal model of one file, for an editor. The same extractors as a review run over that
// one file, inside a program somebody else built (the linter's, with type information), or inside
// a program of the file alone, where every import is unresolved. Facts that live in other files
// (which worker runs a workflow, who calls an exported proxy) are simply not in it, so a check run
// on it reports less than a review, never something a review would not.

import path from 'node:path';
import ts from 'typescript';
import { assembleModel } from './build-model.js';
import { createCodeIndex } from './code-index.js';
import { workflowModulesWithoutWorker } from './extract-workflows.js';
import { createImportGraph } from './module-imports.js';
import type { BuiltProject } from './program.js';
import { createTestCodeFilter, type TestCodeOptions } from './test-code.js';
import type { TemporalModel } from './types.js';

export interface FileModelOptions {
  /** The reviewed directory: paths in messages and test-code folders are relative to it. */
  root: string;
  /**
   * Whether the file is workflow code. `true` when the caller knows (an editor config applies the
   * workflow rules to it); 'auto' takes the review's fallback: a file that uses @temporalio/workflow as a value.
   */
  workflowCode: boolean | 'auto';
  tests?: TestCodeOptions;
}

const cache = new WeakMap<ts.Program, WeakMap<ts.SourceFile, Map<string, TemporalModel>>>();

/** The model of `sourceFile` within `program`; built once per program, file and options. */
export function buildFileModel(program: ts.Program, sourceFile: ts.SourceFile, options: FileModelOptions): TemporalModel {
  const byFile = cache.get(program) ?? new WeakMap<ts.SourceFile, Map<string, TemporalModel>>();
  cache.set(program, byFile);
  const byOptions = byFile.get(sourceFile) ?? new Map<string, TemporalModel>();
  byFile.set(sourceFile, byOptions);
  const key = JSON.stringify([options.root, options.workflowCode, options.tests ?? null]);
  let model = byOptions.get(key);
  if (!model) {
    model = assembleFileModel(program, sourceFile, options);
    byOptions.set(key, model);
  }
  return model;
}

function assembleFileModel(program: ts.Program, sourceFile: ts.SourceFile, options: FileModelOptions): TemporalModel {
  const file = sourceFile.fileName;
  const compilerOptions = program.getCompilerOptions();
  const host = ts.createCompilerHost(compilerOptions);
  const project: BuiltProject = {
    tsconfig: null,
    options: compilerOptions,
    program,
    checker: program.getTypeChecker(),
    reviewedFiles: [file],
    resolutionHost: isSingleFileProgram(program) ? noFilesHost(file, sourceFile.text) : host,
    resolutionCache: ts.createModuleResolutionCache(host.getCurrentDirectory(), host.getCanonicalFileName, compilerOptions),
  };
  const root = path.resolve(options.root);
  const index = createCodeIndex(root, [project]);
  const graph = createImportGraph(index);
  // Test code is skipped by the code checks in a review; the editor agrees.
  const isTest = createTestCodeFilter(root, options.tests)(file, sourceFile.text);
  const files = isTest ? [] : [file];
  const workflowCode = options.workflowCode === 'auto' ? workflowModulesWithoutWorker(files, index).length > 0 : options.workflowCode;
  return assembleModel({
    root,
    projects: [project],
    index,
    graph,
    files,
    testFiles: isTest ? [file] : [],
    parseErrors: [],
    diagnostics: [],
    workflowRoots: workflowCode && !isTest ? [file] : [],
  });
}

const singleFilePrograms = new WeakSet<ts.Program>();

/**
 * A program of one file and nothing else (no lib, no imports): what the type checker can tell from
 * the file's own text, for a linter without type information. Its consts, local functions and
 * literal option objects resolve; imported values stay unknown, as a review treats what it cannot follow.
 */
export function singleFileProgram(fileName: string, text: string): { program: ts.Program; sourceFile: ts.SourceFile } {
  const options: ts.CompilerOptions = { lib: ['lib.es2023.d.ts'], noResolve: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, allowJs: true };
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, scriptKind(fileName));
  const host = ts.createCompilerHost(options);
  const isLib = (name: string) => path.dirname(path.resolve(name)) === LIB_DIRECTORY;
  const isFile = (name: string) => path.resolve(name) === path.resolve(fileName);
  host.getSourceFile = (name, version) => (isFile(name) ? sourceFile : isLib(name) ? libFile(name, version) : undefined);
  host.fileExists = (name) => isFile(name) || (isLib(name) && ts.sys.fileExists(name));
  host.readFile = (name) => (isFile(name) ? text : isLib(name) ? ts.sys.readFile(name) : undefined);
  const program = ts.createProgram({ rootNames: [fileName], options, host });
  singleFilePrograms.add(program);
  return { program, sourceFile: program.getSourceFile(fileName) ?? sourceFile };
}

const LIB_DIRECTORY = path.dirname(path.resolve(ts.getDefaultLibFilePath({})));
/** TypeScript's own lib files (Error, Promise, WeakRef, ...), parsed once per process. */
const libFiles = new Map<string, ts.SourceFile | undefined>();

function libFile(name: string, version: ts.ScriptTarget | ts.CreateSourceFileOptions): ts.SourceFile | undefined {
  const key = path.resolve(name);
  if (!libFiles.has(key)) {
    const text = ts.sys.readFile(key);
    libFiles.set(key, text === undefined ? undefined : ts.createSourceFile(key, text, version));
  }
  return libFiles.get(key);
}

function isSingleFileProgram(program: ts.Program): boolean {
  return singleFilePrograms.has(program);
}

/** Module resolution that finds nothing on disk: a one-file program must not reach other files. */
function noFilesHost(fileName: string, text: string): ts.ModuleResolutionHost {
  return {
    fileExists: (name) => path.resolve(name) === path.resolve(fileName),
    readFile: (name) => (path.resolve(name) === path.resolve(fileName) ? text : undefined),
  };
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(fileName) || fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}
