// Prevents connection churn: a function that opens a Temporal connection and closes it again makes
// a new gRPC connection (DNS, TCP, TLS handshake, server-side state) on every call. Called from
// activities or per request, that is one connection per use instead of one per process.

import { relativePath } from '../../model/typescript/locate.js';
import { perCallConnections } from '../../model/typescript/per-call-connections.js';
import { defineCheck } from '../define-check.js';

export default defineCheck({
  id: 'client-connection-per-call',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'A Temporal Connection opened and closed inside a function: every call makes a new connection',
  run(ctx) {
    const model = ctx.model;
    // The Python front-end does not model Client.connect lifetimes yet.
    if (!model || model.language === 'python') return;
    for (const found of perCallConnections(model)) {
      const close = model.locate(found.close);
      const where = found.name ? `${found.name}` : 'this function';
      const callers = found.activities.map((activity) => activity.name);
      const callerText = callers.length > 0 ? ` The activities ${callers.join(', ')} reach it (by calls, or by resolving it from a dependency-injection container by its token), so their executions open connections.` : '';
      ctx.report({
        location: model.locate(found.call),
        message:
          `${where} opens a Temporal ${found.api} and closes it again (line ${close.line}) on every call: each call makes a new gRPC connection ` +
          `(DNS, TCP and TLS handshakes, server-side connection state) instead of reusing one.${callerText} ` +
          'How often that happens depends on how often it is called (per activity or per request, connections churn), which the review cannot see.',
        fix: 'Create the Connection (and Client) once per process, e.g. in a module-level lazy getter or at worker start, reuse it, and close it on shutdown; in an activity, getClient() from @temporalio/activity (recent SDKs) reuses the worker\'s own connection.',
        related: found.activities.map((activity) => ({ ...model.locate(activity.node), message: `activity ${activity.name} reaches it` })),
        data: { api: found.api, function: found.name ?? null, activities: callers, closeLine: close.line, closeFile: relativePath(model.root, close.file) },
      });
    }
  },
});
