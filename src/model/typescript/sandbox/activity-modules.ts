// Activity implementation modules: the files a proxy's type argument names, the files that
// define registered activities, and project files that import @temporalio/activity. Their code
// runs in the worker's Node.js process, never in the workflow sandbox.

import type { TemporalModel } from '../types.js';
import { runtimeGraphOf } from './runtime-graph.js';
import { sandboxEntries } from './sandbox-entries.js';

const cache = new WeakMap<TemporalModel, Set<string>>();

export function activityModules(model: TemporalModel): Set<string> {
  const cached = cache.get(model);
  if (cached) return cached;
  const graph = runtimeGraphOf(model);
  const modules = new Set<string>();
  for (const proxy of model.activityProxies) for (const file of proxy.implementationFiles) modules.add(file);
  for (const activity of model.activities) modules.add(activity.file);
  for (const file of model.files) {
    if (!model.sourceFile(file)?.text.includes('@temporalio/activity')) continue;
    const importsActivityPackage = graph
      .edgesOf(file)
      .some((edge) => edge.retained && (edge.specifier === '@temporalio/activity' || edge.specifier.startsWith('@temporalio/activity/')));
    if (importsActivityPackage) modules.add(file);
  }
  // A file that defines workflows, creates activity proxies or starts a bundle is workflow code, whatever else it holds.
  for (const workflow of model.workflows) modules.delete(workflow.file);
  // proxyActivities only runs in workflow code: a module that creates proxies is workflow code too.
  for (const proxy of model.activityProxies) modules.delete(proxy.location.file);
  for (const entry of sandboxEntries(model)) modules.delete(entry.file);
  cache.set(model, modules);
  return modules;
}
