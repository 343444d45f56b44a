// Keeps an activity's failures visible to its retry policy: an activity that catches every error
// of the awaited work in its try (a network call, a query, a service method) and returns a value instead (`{ success: false }`, `[]`, `null`) ends as a
// success. Temporal never retries it, the workflow's failure metrics never count it, and the
// workflow goes on unless it checks the value. Reported where the catch returns, in the activity's
// own body or in a helper whose result the activity returns. Python: the facts of
// python-activity-failures.ts (the except clauses of activities that return a failure marker, also
// a clause that tests the exception when every branch returns one), with the same note when no
// workflow call reads the failure. The TypeScript reading lives in
// typescript/activity-failures-returned.ts (workflow-failure-swallowed uses it too).

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { locate } from '../../model/typescript/locate.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';
import { activityReturnedFailures, ERROR_KEYS, FAILURE_FLAGS } from '../../model/typescript/activity-failures-returned.js';
import { pythonActivityFailuresWithAttempts } from '../../engine/activity-policy/python-activity-failures.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { activityCallSites } from '../../model/typescript/observability/workflow-activity-calls.js';
import { attemptsOf, describeAttempts, implementationsWithProxies } from '../../engine/activity-policy/scheduled-implementations.js';

export default defineCheck({
  id: 'activity-failure-returned',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'An activity catches every error of the work it awaits and returns a failure value instead of failing, so its retry policy never runs',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language === 'python') {
      for (const { failure, attempts } of pythonActivityFailuresWithAttempts(pythonModelOf(model)!, 'returned')) {
        const where = failure.via.length > 0 ? ` in ${failure.via.at(-1)}, whose result the activity returns,` : '';
        const callAt = `${relative(ctx.root, failure.callLocation.file)}:${failure.callLocation.line}`;
        const unread = failure.unreadBy?.slice(0, 3) ?? [];
        if (failure.emptyDefault) {
          // Log and return an empty default: often a deliberate fallback, so a note.
          ctx.report({
            location: failure.location,
            severity: 'info',
            message:
              `Activity ${failure.activity}${where} catches every exception of ${failure.call} (${callAt}), logs it and returns the empty default ${failure.value}: ` +
              (failure.fallbackMeant
                ? `the comment says the fallback is meant, but it is taken at the first error, a transient one included, since its retry policy (${describeAttempts(attempts) || 'one attempt'}) never runs; ` +
                  `and the value carries no sign of the failure, so no caller can tell it from a real empty result.`
                : `the value carries no sign of the failure, so a timeout or an outage there ends the activity as a success that no caller can tell from a real empty result, ` +
                  `and its retry policy (${describeAttempts(attempts) || 'one attempt'}) never runs.`),
            fix:
              'Let the exception propagate (re-raise it, or raise ApplicationError with the cause) so Temporal retries the activity, and let the workflow choose the fallback once retries are spent; ' +
              'if the fallback is meant, return a value that says the step failed (a status or error field) so the workflow and its results can show it.',
            related: [{ ...failure.callLocation, message: 'the awaited call whose failures become an empty result' }],
            data: { activityType: failure.activity, returned: failure.value, emptyDefault: true, ...(failure.fallbackMeant ? { fallbackMeant: true } : {}), maximumAttempts: attempts.map((a) => (a === 0 ? null : a)) },
          });
          continue;
        }
        ctx.report({
          location: failure.location,
          severity: 'warning',
          message:
            `Activity ${failure.activity}${where} catches every exception of ${failure.call} (${callAt}) and returns ${failure.value ?? 'a failure value'} instead of raising: ` +
            `a timeout, a lost connection or an outage there ends the activity as a success, so its retry policy (${describeAttempts(attempts) || 'one attempt'}) never runs, ` +
            `the failure counts nowhere in Temporal's metrics, and the workflow goes on unless it checks the value.` +
            (unread.length > 0
              ? ` No workflow call of ${failure.activity} reads the failure (${unread.map((c) => `${relative(ctx.root, c.file)}:${c.line}`).join(', ')}): each drops the result or reads only its other fields, so the workflow goes on to its next step after the failure.`
              : ''),
          fix:
            'Let the exception propagate (re-raise it, or raise ApplicationError with the cause) so Temporal retries the activity; ' +
            'raise ApplicationError(non_retryable=True) only for failures retrying cannot fix; return a value only for outcomes that are not failures.',
          related: [
            { ...failure.callLocation, message: 'the awaited call whose failures are returned as a value' },
            ...unread.map((c) => ({ ...c, message: 'a workflow call that never reads the returned failure' })),
          ],
          data: {
            activityType: failure.activity,
            returned: failure.value,
            maximumAttempts: attempts.map((a) => (a === 0 ? null : a)),
            ...(unread.length > 0 ? { failureUnread: true } : {}),
          },
        });
      }
      return;
    }
    const reported = new Set<ts.Node>();
    for (const [implementation, reviews] of implementationsWithProxies(model)) {
      const attempts = reviews.map(attemptsOf);
      if (attempts.every((a) => a === 1)) continue; // nothing would be retried anyway
      // Every workflow call of the activity drops its result (`await markPrivate(id);`): a `false`
      // or `null` there can only be the failure, and nothing reads it.
      const calls = activityCallSites(model).filter((site) => site.name === implementation.name);
      const dropped = calls.length > 0 && calls.every((site) => resultDropped(site.call));
      for (const site of activityReturnedFailures(implementation, model)) {
        if (reported.has(site.returned)) continue;
        reported.add(site.returned);
        const ignored = !site.marker && dropped;
        // A marker that no workflow call looks at: each call drops the result or reads only other
        // fields of it (`container.mediaContainerId`), so the workflow goes on to its next step.
        const unchecked = site.marker && calls.length > 0 && calls.every((c) => resultDropped(c.call) || failureUnread(c.call, model));
        const callAt = `${relative(ctx.root, locate(site.call.call).file)}:${locate(site.call.call).line}`;
        const where = site.helper ? ` in ${site.helper}, whose result the activity returns,` : '';
        ctx.report({
          location: locate(site.returned),
          severity: site.marker || ignored ? 'warning' : 'info',
          message:
            `Activity ${implementation.name}${where} catches every error of ${site.call.text} (${callAt}) and returns ${site.valueText} instead of failing: ` +
            `a timeout, a lost connection or an outage there ends the activity as a success, so its retry policy (${describeAttempts(attempts) || 'one attempt'}) never runs, ` +
            `the failure counts nowhere in Temporal's metrics, and the workflow goes on unless it checks the value.` +
            (site.marker
              ? ''
              : ignored
                ? ` Every workflow call of ${implementation.name} drops its result (${calls.slice(0, 3).map((c) => `${relative(ctx.root, locate(c.call).file)}:${locate(c.call).line}`).join(', ')}), so ${site.valueText} can only mean the failure, and nothing reads it.`
                : ` (${site.valueText} may also be an answer, such as "nothing found", so this is a note.)`) +
            (unchecked
              ? ` No workflow call of ${implementation.name} reads the failure (${calls.slice(0, 3).map((c) => `${relative(ctx.root, locate(c.call).file)}:${locate(c.call).line}`).join(', ')}): each drops the result or reads only its other fields, so the workflow goes on to its next step after the failure.`
              : ''),
          fix:
            'Let the error propagate (rethrow it, or throw ApplicationFailure.retryable with the cause) so Temporal retries the activity; ' +
            "throw ApplicationFailure.nonRetryable only for failures retrying cannot fix; return a value only for outcomes that are not failures.",
          related: [
            { ...locate(site.call.call), message: 'the awaited call whose failures are returned as a value' },
            ...(unchecked ? calls.slice(0, 3).map((c) => ({ ...locate(c.call), message: 'a workflow call that never reads the returned failure' })) : []),
          ],
          data: {
            activityType: implementation.name,
            returned: site.valueText,
            maximumAttempts: attempts.map((a) => (a === 0 ? null : a)),
            ...(ignored ? { resultDropped: true } : {}),
            ...(unchecked ? { failureUnread: true } : {}),
          },
        });
      }
    }
  },
});

/** The call's value goes nowhere: `await call(...);` or `call(...);` as a statement, or `void call(...)`. */
function resultDropped(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  return ts.isExpressionStatement(node.parent) || ts.isVoidExpression(node.parent);
}

/**
 * `const container = await createContainer(...)` whose every use reads a field that is not a
 * success flag or an error (`container.mediaContainerId`), or `const { id } = await ...` that takes
 * none of them: the workflow never looks at whether the activity failed.
 */
function failureUnread(call: ts.CallExpression, model: TemporalModel): boolean {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const declaration = node.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== node) return false;
  const failureField = (name: string): boolean => FAILURE_FLAGS.test(name) || ERROR_KEYS.test(name) || name === 'status';
  if (ts.isObjectBindingPattern(declaration.name)) {
    return declaration.name.elements.every((element) => {
      if (element.dotDotDotToken) return false;
      const key = element.propertyName ?? element.name;
      return (ts.isIdentifier(key) || ts.isStringLiteral(key)) && !failureField(key.text);
    });
  }
  const variable = declaration.name;
  if (!ts.isIdentifier(variable)) return false;
  const checker = model.checkerFor(call.getSourceFile().fileName);
  const symbol = checker?.getSymbolAtLocation(variable);
  if (!checker || !symbol) return false;
  let scope: ts.Node = declaration;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  let unread = true;
  const visit = (child: ts.Node): void => {
    if (!unread) return;
    if (ts.isIdentifier(child) && child !== variable && child.text === variable.text && checker.getSymbolAtLocation(child) === symbol) {
      const parent = child.parent;
      if (!(ts.isPropertyAccessExpression(parent) && parent.expression === child && !failureField(parent.name.text))) unread = false;
    }
    ts.forEachChild(child, visit);
  };
  visit(scope);
  return unread;
}

