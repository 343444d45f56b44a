// Import chains from a workflow bundle entry to a module the bundler rejects, through project
// files and into node_modules packages. Breadth-first, so each chain is the shortest one, and
// one chain per (entry, disallowed module): fixing it and re-running shows the next.

import type { SourceLocation, TemporalModel } from '../types.js';
import { runtimeGraphOf, type RuntimeEdge } from './runtime-graph.js';
import { detectionOffFor, isIgnoredForEntry, sandboxEntries } from './sandbox-entries.js';

export interface DisallowedImportChain {
  /** The bundle entry (a workflowsPath). */
  entry: string;
  /** The rejected module, without `node:` (as the bundler names it). */
  module: string;
  /** The request as written in the last step (e.g. `node:fs`). */
  specifier: string;
  /** Each import from the entry to the rejected module; the first is in the entry file. */
  steps: RuntimeEdge[];
  /** Ids of the workers whose bundle fails. */
  workerIds: string[];
  /**
   * Where each worker's webpackConfigHook replaces `externals`, when every worker bundling the
   * entry does: then the SDK does not look for disallowed modules and the bundle builds.
   */
  detectionOff: SourceLocation[];
}

/** Files beyond this many per entry are not walked (a chain deeper in a huge dependency tree is missed). */
const MAX_FILES_PER_ENTRY = 5000;

export function disallowedImportChains(model: TemporalModel): DisallowedImportChain[] {
  const graph = runtimeGraphOf(model);
  const chains: DisallowedImportChain[] = [];
  for (const entry of sandboxEntries(model)) {
    const detectionOff = detectionOffFor(entry);
    const reachedBy = new Map<string, RuntimeEdge | null>([[entry.file, null]]);
    const found = new Set<string>();
    const queue = [entry.file];
    for (let index = 0; index < queue.length && index < MAX_FILES_PER_ENTRY; index++) {
      for (const edge of graph.edgesOf(queue[index]!)) {
        if (!edge.retained || isIgnoredForEntry(entry, edge.specifier)) continue;
        if (edge.target.kind === 'disallowed') {
          if (found.has(edge.target.module)) continue;
          found.add(edge.target.module);
          chains.push({
            entry: entry.file,
            module: edge.target.module,
            specifier: edge.specifier,
            steps: [...pathTo(edge.from, reachedBy), edge],
            workerIds: entry.workerIds,
            detectionOff,
          });
        } else if (edge.target.kind === 'file' && !reachedBy.has(edge.target.file)) {
          reachedBy.set(edge.target.file, edge);
          queue.push(edge.target.file);
        }
      }
    }
  }
  return chains;
}

function pathTo(file: string, reachedBy: Map<string, RuntimeEdge | null>): RuntimeEdge[] {
  const steps: RuntimeEdge[] = [];
  for (let edge = reachedBy.get(file); edge; edge = reachedBy.get(edge.from)) steps.unshift(edge);
  return steps;
}
