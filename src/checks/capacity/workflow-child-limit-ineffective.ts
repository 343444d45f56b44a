// Prevents a fan-out whose concurrency limit does not hold: workflow code wraps `startChild(...)`
// in a limiter (p-limit, p-queue, p-map, a semaphore) to run only a few children at once, but
// startChild settles as soon as the server has started the child. The limited function returns,
// the slot is freed, and the next child starts: every child ends up running at the same time, with
// all the activity load they bring to the workers and the systems behind them.

import { defineCheck } from '../define-check.js';
import { childStartsUnderLimiter, type LimiterKind } from '../../model/typescript/child-limiters.js';

const LIMITER_NAMES: Record<LimiterKind, string> = {
  'p-limit': 'the p-limit limiter',
  'p-queue': 'the p-queue',
  'p-map': 'p-map',
  semaphore: 'the semaphore',
  helper: 'the limiting helper',
};

export default defineCheck({
  id: 'workflow-child-limit-ineffective',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A concurrency limiter wraps startChild without waiting for the child result: it limits how many children are being started, not how many run at once.',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const hit of childStartsUnderLimiter(model)) {
      const child = hit.start.workflowType ?? hit.start.workflowTypeText;
      const limiter = `${LIMITER_NAMES[hit.limiter.kind]} (${hit.limiter.text})`;
      ctx.report({
        location: hit.start.location,
        message:
          `startChild(${child}) runs under ${limiter}, but the limited function does not wait for the child's result: startChild settles as soon as the server has started the child, ` +
          `so the slot is freed at once and the next child starts. The limiter bounds how many children are being started, not how many run at the same time: ` +
          `every child runs concurrently, with all the activities they schedule on the workers and the systems behind them.`,
        fix:
          `Wait for the child inside the limited function (const handle = await startChild(...); await handle.result()), or call executeChild there, ` +
          `so a slot stays taken until the child has finished.`,
        related: [
          { ...hit.limiter.location, message: 'the limiter' },
          ...(hit.limitedAt.line !== hit.limiter.location.line || hit.limitedAt.file !== hit.limiter.location.file ? [{ ...hit.limitedAt, message: 'the function handed to the limiter' }] : []),
        ],
        data: { childWorkflow: hit.start.workflowType, limiter: hit.limiter.kind },
      });
    }
  },
});
