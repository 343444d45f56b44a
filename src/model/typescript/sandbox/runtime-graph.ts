// The module graph of the workflow bundle: for each file, its requests resolved the way the SDK's
// bundler resolves them, into node_modules JavaScript included. Project files come from the model
// (with its checker, so erased type-only imports are told apart); package files are parsed here,
// lazily, only when workflow code reaches them. Built once per model and shared by the checks.

import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { sourceFileProblem } from '../../../engine/bounded-file.js';
import type { SourceLocation, TemporalModel } from '../types.js';
import { disallowedModuleOf, isSdkWorkflowPackage } from './disallowed-modules.js';
import { moduleRequestsOf } from './module-requests.js';
import { RuntimeResolver } from './runtime-resolve.js';
import { nodeLocation } from './source-location.js';

export type EdgeTarget =
  | { kind: 'file'; file: string }
  | { kind: 'disallowed'; module: string }
  /** `@temporalio/workflow` and the other packages the SDK bundles itself: not walked. */
  | { kind: 'sdk' }
  /** Mapped to an empty module by a package's `browser` field. */
  | { kind: 'empty' }
  | { kind: 'unresolved' };

export interface RuntimeEdge {
  from: string;
  specifier: string;
  /** False when the bundler erases the request (type-only). */
  retained: boolean;
  location: SourceLocation;
  target: EdgeTarget;
}

/** Files bigger than this (minified bundles) are not parsed: their imports are not followed. */
const MAX_PARSED_FILE_BYTES = 4 * 1024 * 1024;

export class RuntimeGraph {
  private readonly resolver = new RuntimeResolver();
  private readonly edges = new Map<string, RuntimeEdge[]>();
  private readonly parsed = new Map<string, ts.SourceFile | undefined>();
  private readonly projectFiles: Set<string>;

  constructor(private readonly model: TemporalModel) {
    this.projectFiles = new Set(model.files);
  }

  isProjectFile(file: string): boolean {
    return this.projectFiles.has(file);
  }

  /** The parsed file: the model's SourceFile for project files, else parsed from disk (or undefined). */
  sourceFile(file: string): ts.SourceFile | undefined {
    const fromModel = this.model.sourceFile(file);
    if (fromModel) return fromModel;
    if (!this.parsed.has(file)) this.parsed.set(file, this.parseFromDisk(file));
    return this.parsed.get(file);
  }

  edgesOf(file: string): RuntimeEdge[] {
    let edges = this.edges.get(file);
    if (!edges) {
      edges = this.computeEdges(file);
      this.edges.set(file, edges);
    }
    return edges;
  }

  private computeEdges(file: string): RuntimeEdge[] {
    if (!/\.(ts|mts|cts|js|mjs|cjs)$/.test(file) || file.endsWith('.d.ts')) return [];
    const sourceFile = this.sourceFile(file);
    if (!sourceFile) return [];
    const checker = this.isProjectFile(file) ? this.model.checkerFor(file) : undefined;
    return moduleRequestsOf(sourceFile, checker).map((request) => ({
      from: file,
      specifier: request.specifier,
      retained: request.retained,
      location: nodeLocation(sourceFile, request.node),
      target: this.targetOf(file, request.specifier, request.kind),
    }));
  }

  private targetOf(from: string, specifier: string, kind: 'import' | 'require'): EdgeTarget {
    const disallowed = disallowedModuleOf(specifier);
    if (disallowed) return { kind: 'disallowed', module: disallowed };
    if (isSdkWorkflowPackage(specifier)) return { kind: 'sdk' };
    const fromModel = this.isProjectFile(from) ? this.projectResolution(from, specifier) : null;
    if (fromModel) return { kind: 'file', file: fromModel };
    const resolved = this.resolver.resolve(from, specifier, kind);
    if (resolved === 'empty') return { kind: 'empty' };
    return resolved ? { kind: 'file', file: resolved } : { kind: 'unresolved' };
  }

  /** The model's resolution when it lands on project source (it knows tsconfig `paths`). */
  private projectResolution(from: string, specifier: string): string | null {
    let edges;
    try {
      edges = this.model.importsOf(from);
    } catch {
      return null;
    }
    const edge = edges.find((candidate) => candidate.specifier === specifier && candidate.resolved);
    const resolved = edge?.resolved;
    if (!resolved || resolved.endsWith('.d.ts') || resolved.split(path.sep).includes('node_modules')) return null;
    return resolved;
  }

  private parseFromDisk(file: string): ts.SourceFile | undefined {
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_PARSED_FILE_BYTES || sourceFileProblem(file)) return undefined;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const scriptKind = /\.(ts|mts|cts)$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
    return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind);
  }
}

const graphs = new WeakMap<TemporalModel, RuntimeGraph>();

/** The runtime graph of a model, built on first use and shared by every check of the run. */
export function runtimeGraphOf(model: TemporalModel): RuntimeGraph {
  let graph = graphs.get(model);
  if (!graph) {
    graph = new RuntimeGraph(model);
    graphs.set(model, graph);
  }
  return graph;
}
