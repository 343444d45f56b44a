// Points out workers on the build-id based Worker Versioning (`buildId` + `useVersioning: true`),
// which @temporalio/worker 1.24 marks deprecated in favour of Worker Deployments
// (`workerDeploymentOptions`): such a worker gets tasks only once its build id is registered with
// the server (updateBuildIdCompatibility), and the newer versioning features need deployments.

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { environmentReference } from '../../model/environment-reference.js';
import { environmentVariableOf } from '../../model/typescript/environment-values.js';
import { workerLabel, workerOption } from '../../model/typescript/observability/worker-options.js';
import { skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { SourceLocation, StaticValue, TemporalModel, WorkerDefinition } from '../../model/typescript/types.js';

export default defineCheck({
  id: 'worker-build-id-versioning-deprecated',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'useVersioning: true with buildId: the build-id Worker Versioning the SDK deprecates in favour of Worker Deployments (workerDeploymentOptions).',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    // Workers built from one options object share its `useVersioning`: one finding there.
    const reported = new Set<string>();
    for (const worker of model.workers) {
      const options = worker.options;
      if (options.kind !== 'object') continue;
      // Written in the literal, or on some paths only (`if (version) opts.useVersioning = true`):
      // either way the code turns the deprecated API on when that path runs.
      const set = workerOption(worker, 'useVersioning', model);
      const value: StaticValue | undefined = set.state === 'set' ? set.value : options.maybeProperties?.get('useVersioning');
      if (!value) continue;
      // `useVersioning: process.env.NODE_ENV === 'production'`: on in that environment.
      const gate = value.kind === 'unknown' ? environmentGate(value.node) : undefined;
      if (!gate && (value.kind !== 'boolean' || value.value !== true)) continue;
      const conditional = set.state !== 'set';
      const buildId = options.properties.get('buildId') ?? options.maybeProperties?.get('buildId');
      const location: SourceLocation = value.location;
      const key = `${location.file}:${location.line}:${location.column}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const sharing = model.workers.filter((other) => other !== worker && sharesOption(other, 'useVersioning', location, model));
      const buildText = buildId
        ? buildId.kind === 'string'
          ? ` with buildId '${buildId.value}'${buildId.configurable ? ` (the default of ${environmentReference(buildId.configurable)})` : ''}`
          : ` with buildId ${'text' in buildId ? `= ${buildId.text}` : 'set'}`
        : '';
      ctx.report({
        location,
        message:
          `${sharing.length > 0 ? `${sharing.length + 1} workers built from these options${sharedLabels([worker, ...sharing], model)}` : workerLabel(worker, model)} turn${sharing.length > 0 ? '' : 's'} on build-id Worker Versioning (useVersioning: true${gate ? ` when ${gate}` : ''}${gate && buildText ? ',' : ''}${buildText})${conditional ? ' on some paths' : ''}. ` +
          '@temporalio/worker 1.24 marks buildId and useVersioning deprecated in favour of Worker Deployments (workerDeploymentOptions): ' +
          'a worker on that API gets tasks only once its build id has been registered with the server (updateBuildIdCompatibility), and the newer versioning features (pinned or auto-upgrading workflows, deployment versions) are built on deployments only.',
        fix: 'Plan the move to workerDeploymentOptions ({ version: { deploymentName, buildId }, useWorkerVersioning: true, defaultVersioningBehavior }) and set the current version with the deployment APIs; or suppress this note with a reason.',
        ...(sharing.length > 0 ? { related: sharing.map((other) => ({ ...other.location, message: `${workerLabel(other, model)} is built from the same options` })) } : {}),
        data: { conditional, ...(gate ? { enabledWhen: gate } : {}), ...(buildId?.kind === 'string' ? { buildId: buildId.value } : {}) },
      });
    }
  },
});

/**
 * `process.env.X === 'value'` (either side, == or ===): the comparison as written, so the option
 * is true in that environment. Anything else (a flag, a negation, a comparison with another
 * variable) is not read.
 */
function environmentGate(node: unknown): string | undefined {
  if (!node || typeof node !== 'object' || !('kind' in node)) return undefined;
  const expression = skipOuterExpressions(node as ts.Expression);
  if (!ts.isBinaryExpression(expression)) return undefined;
  const operator = expression.operatorToken.kind;
  if (operator !== ts.SyntaxKind.EqualsEqualsEqualsToken && operator !== ts.SyntaxKind.EqualsEqualsToken) return undefined;
  const sides = [skipOuterExpressions(expression.left), skipOuterExpressions(expression.right)];
  const variable = sides.map((side) => environmentVariableOf(side as ts.Expression)).find((name) => name !== undefined);
  const literal = sides.find((side) => ts.isStringLiteralLike(side));
  if (!variable || !literal || !ts.isStringLiteralLike(literal)) return undefined;
  return `process.env.${variable} === '${literal.text}'`;
}

/** True when the worker's option `name` is the value written at `location` (the same options object). */
function sharesOption(worker: WorkerDefinition, name: string, location: SourceLocation, model: TemporalModel): boolean {
  if (worker.options.kind !== 'object') return false;
  const set = workerOption(worker, name, model);
  const value = set.state === 'set' ? set.value : worker.options.maybeProperties?.get(name);
  return value !== undefined && value.location.file === location.file && value.location.line === location.line && value.location.column === location.column;
}

/** ` (the worker for task queue 'a', the worker for task queue 'b')`, for the workers whose queue is known; empty when none is. */
function sharedLabels(workers: WorkerDefinition[], model: TemporalModel): string {
  const labels = workers.map((w) => workerLabel(w, model)).filter((label) => label !== 'This worker');
  return labels.length > 0 ? ` (${labels.map((label) => label.replace(/^The worker/, 'the worker')).join(', ')})` : '';
}
