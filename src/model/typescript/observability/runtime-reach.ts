// Which Runtime.install calls can run in the process of a worker: the install sits in the
// worker's file, in a module the worker's file imports, or in a module that imports the worker's
// file (an entry point that installs the runtime, then starts the worker). Value imports only.

import type { RuntimeInstall, TemporalModel, WorkerDefinition } from '../types.js';

export function installsReaching(model: TemporalModel, worker: WorkerDefinition): RuntimeInstall[] {
  const reviewed = new Set(model.files);
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const file of model.files) {
    for (const edge of model.importsOf(file)) {
      if (edge.typeOnly || !edge.resolved || !reviewed.has(edge.resolved)) continue;
      forward.set(file, [...(forward.get(file) ?? []), edge.resolved]);
      backward.set(edge.resolved, [...(backward.get(edge.resolved) ?? []), file]);
    }
  }
  const start = worker.location.file;
  const reached = new Set([...walk(start, forward), ...walk(start, backward)]);
  return model.runtimeInstalls.filter((install) => reached.has(install.location.file));
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
