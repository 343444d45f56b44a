// Prevents a passing network blip from failing a workflow for good: an activity that catches
// every error around a network call and rethrows it as non-retryable (without looking at what
// failed) turns a timeout, a reset connection or a 429 into a permanent failure, although the
// retry policy of its proxy allows more attempts.

import ts from 'typescript';
import { relative } from '../../engine/run-checks.js';
import { locate } from '../../model/typescript/locate.js';
import { firstTransientCall } from '../../model/typescript/transient-calls.js';
import type { ActivityImplementation, SourceLocation } from '../../model/typescript/types.js';
import { defineCheck } from '../define-check.js';
import { decides, describeAttempts, implementationsWithProxies, attemptsOf } from '../../engine/activity-policy/scheduled-implementations.js';

export default defineCheck({
  id: 'activity-catch-all-non-retryable',
  area: 'retries',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'An activity catches every error of a network call and rethrows it as non-retryable, so a transient failure is never retried',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const [implementation, reviews] of implementationsWithProxies(model)) {
      const attempts = reviews.map(attemptsOf);
      if (attempts.every((a) => a === 1)) continue; // nothing would be retried anyway
      const checker = model.checkerFor(implementation.file);
      if (!checker) continue;
      for (const site of catchAllSites(implementation, checker)) {
        const allowed = describeAttempts(attempts);
        const callAt = `${relative(ctx.root, site.call.file)}:${site.call.line}`;
        ctx.report({
          location: site.throwAt,
          message:
            `Activity ${implementation.name} catches every error of ${site.callText} (${callAt}) and rethrows it as non-retryable without looking at what failed: ` +
            `a timeout, a reset connection or a 429 from that call fails the activity at once, and the workflow with it, although the proxy allows ${allowed}.`,
          fix:
            `Rethrow as non-retryable only the failures that retrying cannot fix (a 4xx other than 408/429, a validation error: check the error's status, code or class first), ` +
            `and rethrow the rest unchanged (or as ApplicationFailure.retryable) so the retry policy handles them.`,
          related: [{ ...site.call, message: 'the network call whose failures are all made non-retryable' }],
          data: { activityType: implementation.name, maximumAttempts: attempts.map((a) => (a === 0 ? null : a)) },
        });
      }
    }
  },
});

interface CatchAllSite {
  throwAt: SourceLocation;
  call: SourceLocation;
  callText: string;
}

/**
 * `try { await network() } catch (e) { ...; throw ApplicationFailure.nonRetryable(...) }` in the
 * activity's own body, where the catch block decides nothing (no if, switch, ?:, instanceof) and
 * the throw is one of its own statements, so every failure of the try block ends there.
 */
function catchAllSites(implementation: ActivityImplementation, checker: ts.TypeChecker): CatchAllSite[] {
  const nonRetryable = implementation.thrownErrors.filter((error) => error.nonRetryable === true);
  const sites: CatchAllSite[] = [];
  const visit = (node: ts.Node, insideTry: boolean): void => {
    if (node !== implementation.node && ts.isFunctionLike(node)) return;
    if (ts.isTryStatement(node)) {
      const clause = node.catchClause;
      if (clause && !insideTry && !decides(clause, { returns: true })) {
        const thrown = clause.block.statements.find(
          (statement): statement is ts.ThrowStatement => ts.isThrowStatement(statement) && nonRetryable.some((error) => sameStart(error.location, statement)),
        );
        const call = thrown && firstTransientCall(node.tryBlock, checker);
        if (thrown && call) sites.push({ throwAt: locate(thrown), call: locate(call.call), callText: call.text });
      }
      visit(node.tryBlock, true);
      if (clause) visit(clause.block, insideTry);
      if (node.finallyBlock) visit(node.finallyBlock, insideTry);
      return;
    }
    ts.forEachChild(node, (child) => visit(child, insideTry));
  };
  visit(implementation.node, false);
  return sites;
}

function sameStart(location: SourceLocation, node: ts.Node): boolean {
  const start = locate(node);
  return location.file === start.file && location.line === start.line && location.column === start.column;
}
