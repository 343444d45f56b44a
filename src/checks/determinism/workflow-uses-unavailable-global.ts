// Prevents workflow tasks that fail on every attempt: globals such as process, Buffer, fetch and
// setInterval do not exist in the workflow sandbox, so using one is a ReferenceError (TEMPORAL-FACTS.md §1).

import { globalReferences, UNAVAILABLE_GLOBALS } from '../../model/typescript/sandbox/global-references.js';
import { defineCheck } from '../define-check.js';

const FIXES: Record<string, string> = {
  setInterval: 'loop with `await sleep(interval)` from @temporalio/workflow (each sleep is a durable timer)',
  setImmediate: 'use `await Promise.resolve()` to yield to other workflow code, or `await sleep(ms)` for a durable delay',
  queueMicrotask: 'use `await Promise.resolve()`',
  process: 'pass configuration in as a workflow argument, or read it in an activity (process.env is not in the sandbox)',
  Buffer: 'use TextEncoder/TextDecoder and Uint8Array, or do the binary work in an activity',
  fetch: 'make the HTTP call in an activity and call it through proxyActivities',
  crypto: 'use uuid4() from @temporalio/workflow for ids; do hashing and encryption in an activity',
  performance: 'use Date.now() (workflow-task time) or do the measurement in an activity',
  structuredClone: 'copy with JSON.parse(JSON.stringify(value)) or a spread',
  require: 'use a static import (the bundler resolves it at build time)',
};

export default defineCheck({
  id: 'workflow-uses-unavailable-global',
  area: 'determinism',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'Workflow code uses a global the sandbox lacks: setInterval, setImmediate, process, Buffer, fetch, crypto, performance, require, ...',
  run(ctx) {
    const model = ctx.model;
    // TypeScript sandbox semantics; the Python sandbox's are workflow-nondeterministic-call and workflow-sandbox-disabled.
    if (!model || model.language === 'python') return;
    for (const reference of globalReferences(model, UNAVAILABLE_GLOBALS)) {
      const maybe = reference.reach === 'maybe';
      ctx.report({
        location: reference.location,
        // Its function is only passed around as a value: whether workflow code calls it is not decided.
        ...(maybe ? { severity: 'warning' as const } : {}),
        message:
          `Workflow code uses the global '${reference.name}'${reference.text === reference.name ? '' : ` (${reference.text})`}, which does not exist in the ` +
          `workflow sandbox. ${maybe ? 'If workflow code calls the function it is in (it is passed around as a value, so the reviewer cannot tell), it' : 'It'} throws a ReferenceError that fails the workflow task, and the server retries that ` +
          `task forever: the workflow looks alive but never progresses.`,
        fix: `${capitalize(FIXES[reference.name] ?? 'move this code into an activity')}.`,
        data: { global: reference.name, reach: reference.reach },
      });
    }
  },
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
