// Keeps webpack out of worker start: `Worker.create({ workflowsPath })` and `workflowBundle: await
// bundleWorkflowCode(...)` bundle the workflow code with webpack every time the process starts,
// which takes seconds and a lot of memory on each deploy, restart and scale-out, and needs the
// workflow sources and the bundler in the production image. Temporal's production sample builds
// the bundle in a build step and passes `workflowBundle: { codePath }`. When the code chooses by
// an environment variable, the finding names the choice, and the deployment files decide: a
// Dockerfile or manifest that sets the variable to a value that selects the prebuilt bundle
// silences it. Info: slower starts, not an incident. TypeScript only (Python has no bundle step).

import { defineCheck } from '../define-check.js';
import { environmentSettings } from '../../engine/deployment-environment.js';
import { isToolCode } from '../../model/tool-code.js';
import { relativePath } from '../../model/typescript/locate.js';
import { workerLabel } from '../../model/typescript/observability/worker-options.js';
import { startupBundling } from '../../model/typescript/startup-bundling.js';


export default defineCheck({
  id: 'worker-bundles-at-startup',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'A production worker bundles its workflow code with webpack each time it starts instead of loading a bundle built ahead of time',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const worker of model.workers) {
      if (isToolCode(relativePath(ctx.root, worker.location.file))) continue;
      const bundling = startupBundling(worker, model);
      if (!bundling) continue;
      const label = workerLabel(worker, model);
      const how =
        bundling.how === 'workflowsPath'
          ? 'passes workflowsPath, so Worker.create runs the webpack bundler over the workflow code'
          : 'builds its workflowBundle with bundleWorkflowCode in its own process';
      const cost =
        'Each start (every deploy, restart and scale-out) then spends seconds and hundreds of MB on webpack before the worker polls, ' +
        'and the production image has to carry the workflow sources and the bundler.';
      const perRun = worker.ephemeral ? ' It is a per-run worker: every run pays the bundling before its workflow starts.' : '';
      const fix =
        'Bundle in the build step (a script that calls bundleWorkflowCode({ workflowsPath }) and writes the code to a file in the image), ' +
        'and start the worker with workflowBundle: { codePath } pointing at that file; keep workflowsPath for local development.';
      if (bundling.kind === 'always') {
        ctx.report({
          location: bundling.location,
          message: `${label} ${how} at every start. ${cost}${perRun}`,
          fix,
          data: { how: bundling.how, ...(worker.ephemeral ? { perRun: true } : {}) },
        });
        continue;
      }
      // The choice depends on an environment variable: the deployment files decide.
      const settings = environmentSettings(ctx, bundling.env);
      const selects = (value: string | undefined): boolean | undefined => {
        const result = bundling.evaluate(value);
        return result === undefined ? undefined : result === bundling.prebuiltWhen;
      };
      if (settings.some((setting) => selects(setting.value) !== false)) continue;
      const prebuiltValues = bundling.literals.filter((value) => selects(value) === true);
      if (prebuiltValues.length === 0) continue;
      const values = prebuiltValues.map((value) => `'${value}'`).join(' or ');
      const setElsewhere = settings.map((setting) => `${setting.file}:${setting.line} sets it to '${setting.value}'`);
      const deployment = setElsewhere.length
        ? `${setElsewhere.join('; ')}, which bundles`
        : `no Dockerfile, compose file or Kubernetes manifest here sets ${bundling.env} (a value injected from a secret is not visible to the review)`;
      const unset = selects(undefined) === false ? `; unset, it bundles` : '';
      ctx.report({
        location: bundling.conditionLocation,
        message:
          `${label} loads the prebuilt bundle only when ${bundling.env} is ${values} (${bundling.conditionText}${unset}); otherwise it ${how} at every start. ` +
          `${deployment.charAt(0).toUpperCase()}${deployment.slice(1)}. ${cost}${perRun}`,
        fix: `Set ${bundling.env} to ${values} in the production image or manifest (ENV ${bundling.env}=${prebuiltValues[0]} in the Dockerfile), or always start the worker with the prebuilt workflowBundle: { codePath } outside local development.`,
        related: [{ ...bundling.location, message: `the branch that bundles at start (${bundling.how})` }],
        data: { how: bundling.how, env: bundling.env, prebuiltValues, settings },
      });
    }
  },
});
