// Which Runtime.install calls run in the process of a worker. A process starts at an entry point:
// the runtime a worker gets is the one installed by the entry point that creates the worker, and
// an install reachable from another entry point (another app of a monorepo that shares a module
// with this one) serves other processes. Entry points are found from the worker's file: the files
// that import it, directly or not, that no reviewed file imports, preferring those that run code
// when loaded (`bootstrap()`, a top-level await). Value imports only.

import ts from 'typescript';
import type { RuntimeInstall, TemporalModel, WorkerDefinition } from '../types.js';
import type { RuntimeInstallFacts, RuntimeReach as NeutralRuntimeReach } from '../../types.js';

/** The installs in a worker's process (see RuntimeReach in src/model/types.ts). */
export type RuntimeReach = NeutralRuntimeReach<RuntimeInstall>;

export function runtimeReach(model: TemporalModel, worker: WorkerDefinition): RuntimeReach {
  const graph = importGraph(model);
  const start = worker.location.file;
  const importers = walk(start, graph.backward);
  const roots = [...importers].filter((file) => !graph.backward.get(file)?.length).sort();
  const running = roots.filter((file) => runsWhenLoaded(model.sourceFile(file)));
  const entryFiles = running.length ? running : roots;
  if (!entryFiles.length) {
    // Every importer is itself imported (an import cycle): fall back to the worker's own
    // neighbourhood, which is what the process runs whichever file starts it.
    const reached = new Set([...walk(start, graph.forward), ...importers]);
    const installs = model.runtimeInstalls.filter((install) => reached.has(install.location.file));
    return { installs, decided: true, entries: [] };
  }
  const entries = entryFiles.map((file) => {
    const reached = walk(file, graph.forward);
    return { file, installs: model.runtimeInstalls.filter((install) => reached.has(install.location.file)) };
  });
  const keys = new Set(entries.map((entry) => entry.installs.map(installKey).join('|')));
  return keys.size === 1 ? { installs: entries[0]!.installs, decided: true, entries } : { installs: [], decided: false, entries };
}

/** True when the install exports SDK metrics (Prometheus or OpenTelemetry). */
export function exportsMetrics(install: RuntimeInstallFacts): boolean {
  return install.metrics === 'prometheus' || install.metrics === 'otel';
}

export function installKey(install: RuntimeInstallFacts): string {
  return `${install.location.file}:${install.location.line}:${install.location.column}`;
}

interface ImportGraph {
  forward: Map<string, string[]>;
  backward: Map<string, string[]>;
}

const graphs = new WeakMap<TemporalModel, ImportGraph>();

function importGraph(model: TemporalModel): ImportGraph {
  const cached = graphs.get(model);
  if (cached) return cached;
  const reviewed = new Set(model.files);
  const graph: ImportGraph = { forward: new Map(), backward: new Map() };
  for (const file of model.files) {
    for (const edge of model.importsOf(file)) {
      if (edge.typeOnly || !edge.resolved || !reviewed.has(edge.resolved) || edge.resolved === file) continue;
      graph.forward.set(file, [...(graph.forward.get(file) ?? []), edge.resolved]);
      graph.backward.set(edge.resolved, [...(graph.backward.get(edge.resolved) ?? []), file]);
    }
  }
  graphs.set(model, graph);
  return graph;
}

/**
 * True when loading the module does something beyond declaring: a call, an assignment, a
 * top-level await. A barrel that only re-exports, or a library module nobody imports, is not an
 * entry point a process starts from.
 */
function runsWhenLoaded(source: ts.SourceFile | undefined): boolean {
  if (!source) return false;
  return source.statements.some((statement) => {
    if (ts.isVariableStatement(statement)) {
      return statement.declarationList.declarations.some((d) => d.initializer && ts.isAwaitExpression(d.initializer));
    }
    return !(
      ts.isImportDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement) ||
      ts.isExportDeclaration(statement) ||
      ts.isExportAssignment(statement) ||
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isModuleDeclaration(statement) ||
      ts.isEmptyStatement(statement)
    );
  });
}

function walk(start: string, edges: Map<string, string[]>): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    for (const next of edges.get(queue.shift()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
