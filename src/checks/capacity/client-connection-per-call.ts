// Prevents connection churn: a function that opens a Temporal connection and closes it again makes
// a new gRPC connection (DNS, TCP, TLS handshake, server-side state) on every call. Called from
// activities or per request, that is one connection per use instead of one per process.

import type ts from 'typescript';
import { relativePath } from '../../model/typescript/locate.js';
import { perCallConnections } from '../../model/typescript/per-call-connections.js';
import { defineCheck, type CheckContext } from '../define-check.js';
import type { PerCallConnection } from '../../model/typescript/per-call-connections.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { requestContext } from '../../model/typescript/observability/request-context.js';

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
      if (found.leaks) {
        reportFactory(ctx, model, found, found.leaks.callSites);
        continue;
      }
      const close = model.locate(found.close!);
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

/**
 * A function that opens a connection, hands it out (or a Client on it) and closes nothing. Each
 * call that does not keep the result opens one more connection that nobody closes: per activity
 * execution or per request, connections pile up until the process restarts. A warning when the
 * code shows such a call runs per activity or per request; a note otherwise.
 */
function reportFactory(ctx: CheckContext, model: TemporalModel, found: PerCallConnection, sites: ts.CallExpression[]): void {
  const where = found.name ?? 'this function';
  const requests = sites.map((site) => requestContext(site, ctx.root)).filter((context): context is string => context !== undefined);
  const callers = found.activities.map((activity) => activity.name);
  const perUse = callers.length > 0 || requests.length > 0;
  const siteText = sites
    .slice(0, 4)
    .map((site) => {
      const location = model.locate(site);
      return `${relativePath(model.root, location.file)}:${location.line}`;
    })
    .join(', ');
  const why =
    callers.length > 0
      ? ` The activities ${callers.slice(0, 6).join(', ')}${callers.length > 6 ? ` and ${callers.length - 6} more` : ''} reach it, so every execution opens one.`
      : requests.length > 0
        ? ` It runs per request (${requests[0]}), so every request opens one.`
        : ' How often it runs depends on its callers, which the review cannot see.';
  ctx.report({
    location: model.locate(found.call),
    ...(perUse ? { severity: 'warning' as const } : {}),
    message:
      `${where} opens a new Temporal ${found.api} on every call and hands it out without closing it, and ${sites.length === 1 ? 'its caller does' : `${sites.length} of its callers do`} not keep the result for reuse (${siteText}). ` +
      `Each such call makes a new gRPC connection (DNS, TCP and TLS handshakes, server-side state) that nothing closes: connections and their sockets accumulate until the process restarts.${why}`,
    fix: "Create the Connection and Client once per process (a module-level lazy getter: `clientPromise ??= connect()`), reuse it, and close it on shutdown; in an activity, getClient() from @temporalio/activity reuses the worker's own connection.",
    related: [
      ...sites.slice(0, 5).map((site) => ({ ...model.locate(site), message: 'called here; the result is not kept for reuse' })),
      ...found.activities.slice(0, 5).map((activity) => ({ ...model.locate(activity.node), message: `activity ${activity.name} reaches it` })),
    ],
    data: { api: found.api, function: found.name ?? null, activities: callers, leaks: true, callSites: sites.length },
  });
}
