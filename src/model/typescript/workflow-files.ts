// The files that run in the workflow sandbox: everything reachable by value imports from the
// workflow modules, inside the project (packages are the determinism check's business).

import type { ImportEdge } from './types.js';

export function reachableByValueImports(starts: string[], importsOf: (file: string) => ImportEdge[], isProjectFile: (file: string) => boolean): Set<string> {
  const reached = new Set<string>();
  const pending = starts.filter(isProjectFile);
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (reached.has(file)) continue;
    reached.add(file);
    for (const edge of importsOf(file)) {
      if (!edge.typeOnly && edge.resolved && isProjectFile(edge.resolved) && !reached.has(edge.resolved)) pending.push(edge.resolved);
    }
  }
  return reached;
}
