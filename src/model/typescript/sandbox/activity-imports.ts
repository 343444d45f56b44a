// Value imports of activity implementation modules from workflow-sandbox code: the bundler pulls
// the activity module (and everything it imports) into the workflow bundle.

import type { SourceLocation, TemporalModel } from '../types.js';
import { activityModules } from './activity-modules.js';
import { runtimeGraphOf } from './runtime-graph.js';
import { sandboxFiles } from './sandbox-files.js';

export interface ActivityModuleImport {
  /** The import in workflow code. */
  location: SourceLocation;
  specifier: string;
  /** The activity implementation module it brings in. */
  activityModule: string;
}

export function activityModuleImports(model: TemporalModel): ActivityModuleImport[] {
  const graph = runtimeGraphOf(model);
  const activities = activityModules(model);
  const imports: ActivityModuleImport[] = [];
  for (const file of sandboxFiles(model)) {
    for (const edge of graph.edgesOf(file)) {
      if (!edge.retained || edge.target.kind !== 'file' || !activities.has(edge.target.file)) continue;
      imports.push({ location: edge.location, specifier: edge.specifier, activityModule: edge.target.file });
    }
  }
  return imports;
}
