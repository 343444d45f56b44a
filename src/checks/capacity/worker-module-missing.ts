// Catches a worker that cannot start because code it loads imports a file that is not there: a
// relative import or re-export (`export { sendDigest } from './digest-activities'`) in the worker's
// module, in a module it imports at load time (its activities barrel), or in its workflowsPath
// module graph, that resolves to no file. Node stops the process at that import ("Cannot find
// module", ERR_MODULE_NOT_FOUND under ESM) before Worker.create runs, and the SDK's webpack
// bundling of the workflow code fails with "Module not found"; either way the worker never polls,
// so none of its workflows or activities run. The facts come from missing-worker-modules.ts, which
// leaves alone type-only imports, dynamic imports, and modules a build or code generator makes.
// TypeScript only (Python's missing names are project-import-name-missing).

import path from 'node:path';
import { relative } from '../../engine/run-checks.js';
import { missingWorkerModules, type MissingWorkerModule } from '../../model/typescript/missing-worker-modules.js';
import { workerLabel } from '../../model/typescript/observability/worker-options.js';
import type { TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'worker-module-missing',
  area: 'capacity',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Code a worker loads at startup (its module, its activities, its workflow modules) imports a relative module that does not exist: the worker cannot start',
  run(ctx) {
    const model = ctx.model;
    if (!model || (model.language !== undefined && model.language !== 'typescript')) return;
    const ts = model as TemporalModel;
    for (const missing of missingWorkerModules(ts)) {
      const file = relative(ctx.root, missing.location.file);
      const target = relative(ctx.root, missing.target);
      const statement = statementText(missing);
      const loads = missing.loadedBy.map((load) => loadText(ctx.root, ts, load)).join('; ');
      const bundle = missing.loadedBy.some((l) => l.via === 'workflows');
      const direct = missing.loadedBy.some((l) => l.via === 'worker');
      const how = [
        direct ? `Node stops the process at this import with "Cannot find module '${missing.specifier}'" (ERR_MODULE_NOT_FOUND under ESM) before Worker.create runs (a tsc build fails on it too)` : '',
        bundle ? `the SDK's webpack bundling of the workflow code fails with "Module not found: Error: Can't resolve '${missing.specifier}'", so Worker.create throws` : '',
      ].filter(Boolean).join('; ');
      const workers = missing.loadedBy.map((l) => l.worker);
      const served = servedBy(ts, workers);
      const lost = lostNames(ts, missing, workers);
      const unstarted = workers.every((worker) => worker.notStarted);
      ctx.report({
        location: missing.location,
        ...(unstarted ? { severity: 'info' as const } : {}),
        message:
          `${statement} names a module that does not exist: there is no ${target} (.ts, .js or other extension, nor a folder with an index module). ` +
          `${loads}. ${capitalise(how)}: the worker never polls its task queue, so ${served}.${lost}` +
          (unstarted ? ` Lowered to info: ${workers.map((w) => w.notStarted).join('; ')}.` : ''),
        fix: `Add the missing module ${target} (it may never have been committed), or remove the import${missing.names?.length ? ` and the names it provides` : ''} from ${path.basename(file)}.`,
        related: workers.map((worker) => ({ ...worker.location, message: 'worker that cannot start' })),
        data: { specifier: missing.specifier, target, names: missing.names, workers: workers.map((w) => w.id), via: [...new Set(missing.loadedBy.map((l) => l.via))] },
      });
    }
  },
});

function statementText(missing: MissingWorkerModule): string {
  const names = missing.names;
  const from = `'${missing.specifier}'`;
  if (missing.kind === 'require') return `\`require(${from})\``;
  const keyword = missing.kind === 'export' ? 'export' : 'import';
  if (!names) return missing.kind === 'export' ? `\`export * from ${from}\`` : `\`import * as ... from ${from}\``;
  if (names.length === 0) return `\`import ${from}\``;
  const listed = names.length > 4 ? `${names.slice(0, 4).join(', ')}, ...` : names.join(', ');
  return `\`${keyword} { ${listed} } from ${from}\``;
}

function loadText(root: string, model: TemporalModel, load: MissingWorkerModule['loadedBy'][number]): string {
  const where = `${relative(root, load.worker.location.file)}:${load.worker.location.line}`;
  const label = workerLabel(load.worker, model).replace(/^The worker/, 'the worker').replace(/^This worker/, 'the worker');
  const chain = load.chain.map((file) => relative(root, file)).join(' -> ');
  if (load.via === 'workflows') return `${capitalise(label)} (${where}) bundles its workflowsPath, which loads this file (${chain})`;
  return load.chain.length === 1 ? `${capitalise(label)} (${where}) is created in this file` : `${capitalise(label)} (${where}) loads this file at startup (${chain})`;
}

/** What the workers would serve: their workflows and activities. */
function servedBy(model: TemporalModel, workers: WorkerDefinition[]): string {
  const ids = new Set(workers.map((w) => w.id));
  const workflows = [...new Set(model.workflows.filter((w) => w.workerIds.some((id) => ids.has(id))).map((w) => w.name))].sort();
  const activities = [...new Set(workers.flatMap((w) => (w.activityNames === 'unknown' ? [] : w.activityNames)))].sort();
  const list = (names: string[]) => (names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', '));
  const parts = [
    workflows.length ? `none of its workflows (${list(workflows)})` : '',
    activities.length ? `none of its activities (${list(activities)})` : '',
  ].filter(Boolean);
  return parts.length ? `${parts.join(' and ')} run` : 'nothing it registers runs';
}

/** The activity types workflows on these workers call that the statement was to provide. */
function lostNames(model: TemporalModel, missing: MissingWorkerModule, workers: WorkerDefinition[]): string {
  if (!missing.names || missing.names.length === 0) return '';
  const ids = new Set(workers.map((w) => w.id));
  const workflows = new Set(model.workflows.filter((w) => w.workerIds.some((id) => ids.has(id))).map((w) => w.name));
  const called = new Set<string>();
  for (const proxy of model.activityProxies) {
    if (!proxy.workflowNames.some((name) => workflows.has(name))) continue;
    const names = proxy.usedActivityTypes === 'all' ? proxy.exposedActivityTypes : proxy.usedActivityTypes.map((use) => use.name);
    for (const name of names) called.add(name);
  }
  const lost = missing.names.filter((name) => called.has(name));
  if (lost.length === 0) return '';
  const unimplemented = lost.filter((name) => !model.activities.some((activity) => activity.name === name));
  const listed = lost.length > 6 ? `${lost.slice(0, 6).join(', ')} and ${lost.length - 6} more` : lost.join(', ');
  return (
    ` Its workflows call ${lost.length === 1 ? 'activity' : 'activities'} ${listed}, which this module was to provide` +
    (unimplemented.length === lost.length ? ' and no file of the code base implements.' : '.')
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
