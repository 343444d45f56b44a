// Prevents a module with Temporal code that cannot load: `from app.workflows.weekly import
// FullPipelineWorkflow` where the project's app/workflows/weekly.py binds no such name. The import
// raises ImportError when the module loads, so nothing in it runs: a worker module never polls, a
// starter module starts no workflow, and every module that imports it stops too. The facts come from
// python-missing-imports.ts: module-level imports of a name a project module the review read whole
// does not bind anywhere at its top level.

import path from 'node:path';
import { relative } from '../../engine/run-checks.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'project-import-name-missing',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'A Python module with Temporal code imports a name that the project module it names does not define: the module raises ImportError when it loads, so its worker, workflows, activities or starts never run',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    for (const missing of model.missingImports ?? []) {
      const file = missing.location.file;
      const what = whatStops(model, file);
      const target = relative(ctx.root, missing.target);
      const similar = missing.similar.length ? ` It defines ${missing.similar.slice(0, 3).join(', ')}.` : '';
      ctx.report({
        location: missing.location,
        message:
          `\`from ${missing.module} import ${missing.name}\`: ${target} defines no ${missing.name} at its top level.${similar} ` +
          `The import raises ImportError when ${path.basename(file)} loads, so ${what}, and every module that imports ${path.basename(file)} stops there too.`,
        fix: missing.similar.length === 1
          ? `Import ${missing.similar[0]} (\`from ${missing.module} import ${missing.similar[0]}${missing.similar[0] === missing.alias ? '' : ` as ${missing.alias}`}\`), or define ${missing.name} in ${target}.`
          : `Import a name ${target} defines, or define ${missing.name} there.`,
        data: { module: missing.module, name: missing.name, target, similar: missing.similar },
      });
    }
  },
});

function whatStops(model: NonNullable<ReturnType<typeof pythonModelOf>>, file: string): string {
  const parts: string[] = [];
  if (model.workers.some((w) => w.location.file === file)) parts.push('its worker never starts polling');
  if (model.starts.some((s) => s.location.file === file)) parts.push('none of its workflow starts can run');
  if (model.workflows.some((w) => w.file === file) || model.activities.some((a) => a.location.file === file)) parts.push('no worker that imports its workflows or activities can start');
  if ((model.scheduleActions ?? []).some((s) => s.location.file === file)) parts.push('its schedules are never created');
  return parts.length ? parts.join(', ') : 'nothing in it runs';
}
