// Keeps a dead worker from hiding in a live process. The promise `worker.run()` returns rejects when
// the worker stops for good: a fatal error from the SDK's core (the server unreachable past its
// retries, a namespace that does not exist), a workflow bundle that fails to load, a shutdown that
// fails. A catch (or `.catch()` handler) around it that only logs leaves the process running with
// no worker polling, or ending with exit code 0, which a restart policy of `on-failure` does not
// restart: tasks pile up on the queue and nothing brings the worker back.

import ts from 'typescript';
import { defineCheck } from '../define-check.js';
import { importBindings, skipOuterExpressions } from '../../model/typescript/temporal-api.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { onlyLogs } from '../../model/typescript/only-logs.js';

export default defineCheck({
  id: 'worker-run-failure-swallowed',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'The failure of worker.run() is caught and only logged: a worker that stopped for good leaves the process running without it, or exiting with code 0.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const site of swallowedRuns(model)) {
      const how = site.kind === 'catch-clause' ? 'the catch around it' : 'the .catch() handler on it';
      ctx.report({
        location: model.locate(site.handler),
        message:
          `${site.runText} rejects when the worker stops for good (a fatal error from the SDK's core, such as the server unreachable past its retries or a namespace that does not exist, a workflow bundle that fails to load, a shutdown that fails), and ${how} only logs it. ` +
          'The process then goes on without a worker polling its task queue (when a server, another worker or a timer keeps it alive), or ends with exit code 0, which a restart policy of on-failure does not restart: ' +
          'tasks pile up on the queue and nothing brings the worker back.',
        fix: 'After logging, end the process with a failure (rethrow, or process.exit(1)) so the orchestrator restarts it, or tie the health check that keeps the process in service to the worker (worker.getState() is RUNNING).',
        related: [{ ...model.locate(site.run), message: 'the worker.run() whose failure is only logged' }],
        data: { kind: site.kind },
      });
    }
  },
});

interface SwallowedRun {
  kind: 'catch-clause' | 'catch-handler';
  run: ts.CallExpression;
  runText: string;
  /** The catch clause, or the handler function passed to `.catch()`. */
  handler: ts.Node;
}

/** `x.run()` on a worker, whose failure a catch clause or `.catch()` handler only logs. */
function swallowedRuns(model: TemporalModel): SwallowedRun[] {
  const found: SwallowedRun[] = [];
  const seen = new Set<ts.Node>();
  for (const file of model.files) {
    const sourceFile = model.sourceFile(file);
    if (!sourceFile || !sourceFile.text.includes('.run(') || !importsWorker(sourceFile, model)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isWorkerRun(node)) {
        const site = swallowing(node);
        if (site && !seen.has(site.handler)) {
          seen.add(site.handler);
          found.push({ ...site, run: node, runText: `${shortReceiver(node)}.run()` });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

/** The file imports from @temporalio/worker, or creates one of the model's workers. */
function importsWorker(sourceFile: ts.SourceFile, model: TemporalModel): boolean {
  for (const binding of importBindings(sourceFile).values()) if (binding.module === '@temporalio/worker') return true;
  return model.workers.some((worker) => worker.location.file === sourceFile.fileName);
}

/** `worker.run()`, `this.worker.run()`, `workers[i].run()`: no arguments, on a receiver named for a worker. */
function isWorkerRun(call: ts.CallExpression): boolean {
  if (call.arguments.length > 0) return false;
  const callee = skipOuterExpressions(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'run') return false;
  let receiver = skipOuterExpressions(callee.expression);
  if (ts.isElementAccessExpression(receiver)) receiver = skipOuterExpressions(receiver.expression);
  const name = ts.isIdentifier(receiver) ? receiver.text : ts.isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
  return name !== undefined && /worker/i.test(name);
}

function shortReceiver(call: ts.CallExpression): string {
  const callee = skipOuterExpressions(call.expression) as ts.PropertyAccessExpression;
  const text = callee.expression.getText().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Where the run's rejection ends up: walking out from the call through awaits, `Promise.all`
 * and the `.map()` callback that makes it, to the first `.catch(handler)` on the chain or the
 * first try whose block holds it. Reported when that handler or catch only logs.
 */
function swallowing(run: ts.CallExpression): Omit<SwallowedRun, 'run' | 'runText'> | undefined {
  let node: ts.Node = run;
  for (let steps = 0; steps < 40 && node.parent; steps++) {
    const parent: ts.Node = node.parent;
    // `run().catch(handler)` / `Promise.all(...).catch(handler)`.
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node && ts.isCallExpression(parent.parent)) {
      const method = parent.name.text;
      const call = parent.parent;
      if (method === 'catch' || (method === 'then' && call.arguments.length >= 2)) {
        const handler = call.arguments[method === 'catch' ? 0 : 1];
        if (!handler || !(ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) return undefined;
        return onlyLogs(handler.body) ? { kind: 'catch-handler', handler } : undefined;
      }
      if (method === 'finally' || method === 'then') {
        node = call;
        continue;
      }
      return undefined;
    }
    if (ts.isTryStatement(parent)) {
      if (node !== parent.tryBlock || !parent.catchClause) return undefined;
      return onlyLogs(parent.catchClause.block) ? { kind: 'catch-clause', handler: parent.catchClause } : undefined;
    }
    // The callback of `workers.map((w) => w.run())`: on to the map call, and the Promise.all around it.
    if (ts.isArrowFunction(parent) || ts.isFunctionExpression(parent)) {
      const call = parent.parent;
      const callee = call && ts.isCallExpression(call) ? skipOuterExpressions(call.expression) : undefined;
      if (callee && ts.isPropertyAccessExpression(callee) && callee.name.text === 'map' && (call as ts.CallExpression).arguments[0] === parent) {
        node = call!;
        continue;
      }
      return undefined;
    }
    if (ts.isFunctionLike(parent) || ts.isSourceFile(parent) || ts.isClassLike(parent)) return undefined;
    node = parent;
  }
  return undefined;
}
