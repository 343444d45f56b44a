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
import { activityReturnedFailures, ERROR_KEYS, FAILURE_FLAGS, failureValue, STATUS_KEYS } from '../../model/typescript/activity-failures-returned.js';
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
        if (failure.handledBy) {
          // Every workflow call tests the failure and acts on it: handled, only not retried.
          const handledAt = failure.handledBy.slice(0, 3);
          ctx.report({
            location: failure.location,
            severity: 'info',
            message:
              `Activity ${failure.activity}${where} catches every exception of ${failure.call} (${callAt}) and returns ${failure.value ?? 'a failure value'} instead of raising, ` +
              `and every workflow call of ${failure.activity} tests it (${(failure.handledFields ?? []).map((f) => `\`${f}\``).join(', ')}; ${handledAt.map((c) => `${relative(ctx.root, c.file)}:${c.line}`).join(', ')}) and acts on it, ` +
              `so the workflow handles the failure. What is lost is the retry: a timeout or a lost connection there ends the attempt as a success, so its retry policy (${describeAttempts(attempts) || 'one attempt'}) never runs ` +
              `and the workflow acts on the first transient error.`,
            fix:
              'Nothing required if acting on the first error is meant; to have transient errors retried, raise them (or raise ApplicationError with the cause) and keep returning a value only for outcomes retrying cannot change.',
            related: [
              { ...failure.callLocation, message: 'the awaited call whose failures are returned as a value' },
              ...handledAt.map((c) => ({ ...c, message: 'a workflow call that tests the returned failure and acts on it' })),
            ],
            data: { activityType: failure.activity, returned: failure.value, maximumAttempts: attempts.map((a) => (a === 0 ? null : a)), handledByWorkflow: true, fields: failure.handledFields ?? [] },
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
      for (const failure of pythonModelOf(model)!.activityFailures ?? []) {
        if (failure.kind !== 'unread' || !failure.unreadBy) continue;
        const calls = failure.unreadBy.slice(0, 3);
        const fields = (failure.readInstead ?? []).slice(0, 4);
        ctx.report({
          location: failure.location,
          severity: 'warning',
          message:
            `Activity ${failure.activity} returns ${failure.value ?? 'a failure value'} instead of raising, and no workflow call reads it (${calls.map((c) => `${relative(ctx.root, c.file)}:${c.line}`).join(', ')}): ` +
            `each keeps the result and reads only other fields of it (${fields.join(', ')}) or stores it whole, ` +
            `so the workflow takes the failed step for a success and goes on without the data. ` +
            `The activity completes, so the failure shows nowhere in Temporal (no failed activity, no failed workflow).`,
          fix:
            'Raise instead (ApplicationError(..., non_retryable=True) when retrying cannot help, as for a missing record), so the workflow fails or handles the error in an except clause; ' +
            'or keep the value and have the workflow test its error field before it uses the data.',
          related: calls.map((c) => ({ ...c, message: 'a workflow call that reads other fields of the result, never the failure' })),
          data: { activityType: failure.activity, returned: failure.value, outsideExcept: true, keys: failure.keys ?? [], readInstead: failure.readInstead ?? [] },
        });
      }
      return;
    }
    const reported = new Set<ts.Node>();
    for (const [implementation] of implementationsWithProxies(model)) {
      // A failure value returned outside any catch (`if (!row) return { error: 'Customer not found' }`),
      // which no workflow call reads: each reads only other fields of the result.
      const plain = plainFailureReturns(implementation.node);
      if (plain.length === 0) continue;
      const calls = activityCallSites(model).filter((site) => site.name === implementation.name);
      if (calls.length === 0) continue;
      const keys = new Set(plain.flatMap((site) => site.keys));
      const readInstead = new Set<string>();
      const unread = calls.every((site) => {
        const fields = otherFieldsRead(site.call, keys, model);
        fields?.forEach((field) => readInstead.add(field));
        return fields !== undefined;
      });
      if (!unread || readInstead.size === 0) continue;
      const callsAt = calls.slice(0, 3).map((c) => `${relative(ctx.root, locate(c.call).file)}:${locate(c.call).line}`).join(', ');
      for (const site of plain) {
        reported.add(site.returned);
        ctx.report({
          location: locate(site.returned),
          severity: 'warning',
          message:
            `Activity ${implementation.name} returns ${site.valueText} instead of throwing, and no workflow call reads it (${callsAt}): ` +
            `each keeps the result and reads only other fields of it (${[...readInstead].slice(0, 4).join(', ')}) or stores it whole, ` +
            `so the workflow takes the failed step for a success and goes on without the data. ` +
            `The activity completes, so the failure shows nowhere in Temporal (no failed activity, no failed workflow).`,
          fix:
            'Throw instead (ApplicationFailure.nonRetryable when retrying cannot help, as for a missing record), so the workflow fails or handles the error in a catch; ' +
            'or keep the value and have the workflow test its error field before it uses the data.',
          related: calls.slice(0, 3).map((c) => ({ ...locate(c.call), message: 'a workflow call that reads other fields of the result, never the failure' })),
          data: { activityType: implementation.name, returned: site.valueText, outsideCatch: true, keys: site.keys, readInstead: [...readInstead] },
        });
      }
    }
    // A helper's catch reached from several activities (one LLM client method behind each step) is
    // reported once, naming the others.
    const reachedFrom = new Map<ts.Node, string[]>();
    for (const [implementation, reviews] of implementationsWithProxies(model)) {
      if (reviews.map(attemptsOf).every((a) => a === 1)) continue;
      for (const site of activityReturnedFailures(implementation, model, { throughVariables: true })) {
        if (!site.via) continue;
        const names = reachedFrom.get(site.returned) ?? [];
        if (!names.includes(implementation.name)) names.push(implementation.name);
        reachedFrom.set(site.returned, names);
      }
    }
    for (const [implementation, reviews] of implementationsWithProxies(model)) {
      const attempts = reviews.map(attemptsOf);
      if (attempts.every((a) => a === 1)) continue; // nothing would be retried anyway
      // Every workflow call of the activity drops its result (`await markPrivate(id);`): a `false`
      // or `null` there can only be the failure, and nothing reads it.
      const calls = activityCallSites(model).filter((site) => site.name === implementation.name);
      const dropped = calls.length > 0 && calls.every((site) => resultDropped(site.call));
      for (const site of activityReturnedFailures(implementation, model, { throughVariables: true, fallbacks: true })) {
        if (reported.has(site.returned)) continue;
        reported.add(site.returned);
        if (site.fallback) {
          // A stand-in for the answer, often meant: a note that says what it costs.
          const callAt = `${relative(ctx.root, locate(site.call.call).file)}:${locate(site.call.call).line}`;
          const where = site.helper ? ` in ${site.helper}, whose result the activity returns,` : '';
          const shown = calls.slice(0, 3);
          ctx.report({
            location: locate(site.returned),
            severity: 'info',
            message:
              `Activity ${implementation.name}${where} catches every error of ${site.call.text} (${callAt}), logs it and returns the fallback ${site.valueText}` +
              (site.fallback.meant ? ', as its comment says is meant' : '') +
              `: a timeout, a rate limit or an outage there ends the attempt as a success, so its retry policy (${describeAttempts(attempts) || 'one attempt'}) never runs and the failure counts nowhere in Temporal's metrics. ` +
              (shown.length > 0 ? `The workflow ${shown.map((c) => `${workflowUse(c.call)} (${relative(ctx.root, locate(c.call).file)}:${locate(c.call).line})`).join(', ')}, and goes on with the fallback as if the step had worked.` : 'The workflow goes on with the fallback as if the step had worked.'),
            fix:
              'Let the error propagate (rethrow it, or throw ApplicationFailure.retryable with the cause) so Temporal retries the activity, and choose the fallback in the workflow once the retries are spent (catch the ActivityFailure there); ' +
              'if the fallback must stay in the activity, keep it for the errors retrying cannot fix and mark it in the result so the workflow can tell it from a real answer.',
            related: [
              { ...locate(site.call.call), message: 'the call whose failures are replaced by the fallback' },
              ...shown.map((c) => ({ ...locate(c.call), message: 'a workflow call that receives the fallback' })),
            ],
            data: {
              activityType: implementation.name,
              returned: site.valueText,
              fallback: true,
              ...(site.fallback.meant ? { fallbackMeant: true } : {}),
              maximumAttempts: attempts.map((a) => (a === 0 ? null : a)),
            },
          });
          continue;
        }
        const ignored = !site.marker && dropped;
        // A marker that no workflow call looks at: each call drops the result or reads only other
        // fields of it (`container.mediaContainerId`), so the workflow goes on to its next step.
        const unchecked = site.marker && calls.length > 0 && calls.every((c) => resultDropped(c.call) || failureUnread(c.call, model));
        // A synchronous failure (no awaited call can throw into the catch) counts only when nothing reads it.
        if (site.synchronous && !unchecked) continue;
        const callAt = `${relative(ctx.root, locate(site.call.call).file)}:${locate(site.call.call).line}`;
        const returnedAt = `${relative(ctx.root, locate(site.returned).file)}:${locate(site.returned).line}`;
        const where = site.via
          ? ` in ${site.helper} (${returnedAt})${site.via.length > 1 ? `, which it reaches through ${site.via.slice(0, -1).join(' → ')},` : ','} whose result reaches the activity's return,`
          : site.helper
            ? ` in ${site.helper}, whose result the activity returns,`
            : '';
        ctx.report({
          location: locate(site.returned),
          severity: site.marker || ignored ? 'warning' : 'info',
          message:
            `Activity ${implementation.name}${where} catches every error of ${site.call.text} (${callAt}) and returns ${site.valueText} instead of failing: ` +
            (site.synchronous
              ? `a failure there (a locked or unreachable database, a full disk, a rejected write) ends the activity as a success, so its retry policy (${describeAttempts(attempts) || 'one attempt'}) never runs, `
              : `a timeout, a lost connection or an outage there ends the activity as a success, so its retry policy (${describeAttempts(attempts) || 'one attempt'}) never runs, `) +
            `the failure counts nowhere in Temporal's metrics, and the workflow goes on unless it checks the value.` +
            (site.marker
              ? ''
              : ignored
                ? ` Every workflow call of ${implementation.name} drops its result (${calls.slice(0, 3).map((c) => `${relative(ctx.root, locate(c.call).file)}:${locate(c.call).line}`).join(', ')}), so ${site.valueText} can only mean the failure, and nothing reads it.`
                : ` (${site.valueText} may also be an answer, such as "nothing found", so this is a note.)`) +
            (site.via && (reachedFrom.get(site.returned)?.length ?? 0) > 1
              ? ` The same catch ends ${reachedFrom.get(site.returned)!.filter((name) => name !== implementation.name).join(', ')} the same way.`
              : '') +
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
            ...(site.synchronous ? { synchronous: true } : {}),
            ...(site.via ? { via: site.via } : {}),
          },
        });
      }
    }
  },
});

/** What a workflow call does with the activity's result, in words: drops it, keeps it in a variable, returns it, uses it. */
function workflowUse(call: ts.CallExpression): string {
  if (resultDropped(call)) return 'drops the result';
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && parent.initializer === node) return ts.isIdentifier(parent.name) ? `keeps it in \`${parent.name.text}\`` : 'takes its fields';
  if (ts.isReturnStatement(parent)) return 'returns it';
  return 'uses it';
}

/** The call's value goes nowhere: `await call(...);` or `call(...);` as a statement, or `void call(...)`. */
export function resultDropped(call: ts.CallExpression): boolean {
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
  const failureField = (name: string): boolean => FAILURE_FLAGS.test(name) || ERROR_KEYS.test(name) || STATUS_KEYS.test(name);
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


/**
 * The activity's own returns of a failure marker object outside any catch (`if (!row) return {
 * error: 'Customer not found' }`), with the keys the object sets. A message string is left alone.
 */
export function plainFailureReturns(fn: ts.FunctionLikeDeclaration): { returned: ts.ReturnStatement; valueText: string; keys: string[] }[] {
  const found: { returned: ts.ReturnStatement; valueText: string; keys: string[] }[] = [];
  if (!fn.body) return found;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isCatchClause(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node) && node.expression) {
      const value = ts.skipPartiallyEmittedExpressions(node.expression);
      const object = ts.isParenthesizedExpression(value) ? value.expression : ts.isAsExpression(value) ? value.expression : value;
      const marker = ts.isObjectLiteralExpression(object) ? failureValue(object) : undefined;
      if (marker?.marker && ts.isObjectLiteralExpression(object)) {
        const keys = object.properties.flatMap((property) => (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? [property.name.text] : []));
        found.push({ returned: node, valueText: marker.valueText, keys });
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}

/**
 * `const data = await loadCustomer(id)` whose every later use reads a field that is neither a flag,
 * an error, a status nor one of keys (`data.total`, `data['name']`), or stores the whole value
 * (`result.customer = data`): the fields read; undefined for any other use
 * (a test of the value, an argument, a return, a spread, a destructuring that takes a failure field).
 */
export function otherFieldsRead(call: ts.CallExpression, keys: Set<string>, model: TemporalModel): string[] | undefined {
  let node: ts.Node = call;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const declaration = node.parent;
  if (!ts.isVariableDeclaration(declaration) || declaration.initializer !== node) return undefined;
  const other = (name: string): boolean => !FAILURE_FLAGS.test(name) && !ERROR_KEYS.test(name) && !STATUS_KEYS.test(name) && !keys.has(name) && !/valid|result|state|found|exists/i.test(name);
  if (ts.isObjectBindingPattern(declaration.name)) {
    const names: string[] = [];
    for (const element of declaration.name.elements) {
      const key = element.propertyName ?? element.name;
      if (element.dotDotDotToken || !(ts.isIdentifier(key) || ts.isStringLiteral(key)) || !other(key.text)) return undefined;
      names.push(key.text);
    }
    return names;
  }
  const variable = declaration.name;
  if (!ts.isIdentifier(variable)) return undefined;
  const checker = model.checkerFor(call.getSourceFile().fileName);
  const symbol = checker?.getSymbolAtLocation(variable);
  if (!checker || !symbol) return undefined;
  let scope: ts.Node = declaration;
  while (scope.parent && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const read: string[] = [];
  let ok = true;
  const visit = (child: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(child) && child !== variable && child.text === variable.text && checker.getSymbolAtLocation(child) === symbol) {
      let use: ts.Node = child;
      while (ts.isNonNullExpression(use.parent) || ts.isParenthesizedExpression(use.parent)) use = use.parent;
      const parent = use.parent;
      const written = (target: ts.Node): boolean => ts.isBinaryExpression(target.parent) && target.parent.left === target && target.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === use && other(parent.name.text) && !(ts.isCallExpression(parent.parent) && parent.parent.expression === parent) && !written(parent)) {
        read.push(parent.name.text);
      } else if (ts.isElementAccessExpression(parent) && parent.expression === use && ts.isStringLiteral(parent.argumentExpression) && other(parent.argumentExpression.text) && !written(parent)) {
        read.push(parent.argumentExpression.text);
      } else if (ts.isBinaryExpression(parent) && parent.right === use && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isPropertyAccessExpression(parent.left) || ts.isElementAccessExpression(parent.left))) {
        // `result.customer = data`: stored whole
      } else {
        ok = false;
      }
    }
    ts.forEachChild(child, visit);
  };
  visit(scope);
  return ok ? read : undefined;
}
