// The project files whose code runs in the workflow sandbox: reachable from the bundle entry
// points through imports the bundler keeps. The walk stops at activity implementation modules
// (importing them is its own finding, and their functions never run in the sandbox) and at
// package code (the reviewer judges the project's own code).

import type { TemporalModel } from '../types.js';
import { activityModules } from './activity-modules.js';
import { runtimeGraphOf } from './runtime-graph.js';
import { isIgnoredForEntry, sandboxEntries } from './sandbox-entries.js';

const cache = new WeakMap<TemporalModel, string[]>();

/** Sorted absolute paths of the project's workflow-sandbox files. */
export function sandboxFiles(model: TemporalModel): string[] {
  const cached = cache.get(model);
  if (cached) return cached;
  const graph = runtimeGraphOf(model);
  const activities = activityModules(model);
  const reached = new Set<string>();
  for (const entry of sandboxEntries(model)) {
    if (!graph.isProjectFile(entry.file)) continue;
    const queue = [entry.file];
    const visited = new Set(queue);
    for (let index = 0; index < queue.length; index++) {
      for (const edge of graph.edgesOf(queue[index]!)) {
        if (!edge.retained || edge.target.kind !== 'file' || isIgnoredForEntry(entry, edge.specifier)) continue;
        const target = edge.target.file;
        if (visited.has(target) || !graph.isProjectFile(target) || activities.has(target)) continue;
        visited.add(target);
        queue.push(target);
      }
    }
    for (const file of queue) reached.add(file);
  }
  const files = [...reached].sort();
  cache.set(model, files);
  return files;
}
