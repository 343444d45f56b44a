// Points at a signal handler registered under a new name each time a function of the workflow
// runs (`setHandler(defineSignal(\`lock-acquired-${id}\`), ...)` in a helper called from a loop)
// and never removed: the handlers pile up for the life of the run. Info: each costs little, but the
// count grows with the loop, each keeps its closure alive, and a late signal under an old name
// still runs its stale handler.

import { defineCheck } from '../define-check.js';
import { perCallSignalHandlers } from '../../model/typescript/payload-types/per-call-signal-handlers.js';

export default defineCheck({
  id: 'signal-handler-per-call',
  area: 'payloads',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'A signal handler is registered under a new name on every call (or loop round) and never removed: handlers accumulate for the life of the run',
  run(ctx) {
    const model = ctx.model;
    if (!model || model.language === 'python') return;
    for (const hit of perCallSignalHandlers(model)) {
      const repeated = hit.helper ? `${hit.helper}() runs from a loop (line ${hit.loop.line})` : `it runs on every round of a loop (line ${hit.loop.line})`;
      ctx.report({
        location: hit.location,
        message:
          `A signal handler is registered under a name built from values (${hit.name}) and ${repeated}, and nothing removes it: each call adds one more handler that the workflow keeps until the run ends. ` +
          'The handlers (and what their closures hold) pile up in the workflow\'s memory for as long as the run goes on, and a signal that arrives late under an old name still runs its stale handler.',
        fix: 'Define one signal with a fixed name and pass the id as its argument (route it in the handler), or remove the handler once it has served: setHandler(definition, undefined).',
        related: [{ ...hit.loop, message: 'the loop that registers it again and again' }],
        data: { signal: hit.name, ...(hit.helper ? { helper: hit.helper } : {}) },
      });
    }
  },
});
