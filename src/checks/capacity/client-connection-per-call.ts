// Prevents connection churn and leaks: a function that opens a Temporal connection and closes it again makes
// a new gRPC channel on every call (a DNS lookup, a getSystemInfo round trip, and a new socket with a
// TLS handshake when TLS is on, see connectionCost). Called from
// activities or per request, that is one connection per use instead of one per process. One that
// never closes it (and does not hand it out) leaks a connection per call. Python: a Client.connect
// made anew and kept nowhere in a route handler, view, task or activity (python-per-call-connections.ts).

import ts from 'typescript';
import { relativePath } from '../../model/typescript/locate.js';
import { perCallConnections } from '../../model/typescript/per-call-connections.js';
import { defineCheck, type CheckContext } from '../define-check.js';
import type { PerCallConnection } from '../../model/typescript/per-call-connections.js';
import type { TemporalModel } from '../../model/typescript/types.js';
import { requestContext, requestFileContext } from '../../model/typescript/observability/request-context.js';
import { pythonModelOf } from '../../model/python/python-model-of.js';
import { isToolCode } from '../../model/tool-code.js';
import type { PythonPerCallConnection } from '../../model/python/python-per-call-connections.js';

export default defineCheck({
  id: 'client-connection-per-call',
  area: 'capacity',
  severity: 'info',
  evidence: 'static',
  needs: 'code',
  description: 'A Temporal connection opened on every call of a function (closed again, left open, or a Python Client.connect per request or activity, or in a start helper nothing here calls): connections churn or leak',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const python = pythonModelOf(model);
    if (python) {
      for (const found of python.perCallConnections ?? []) reportPython(ctx, found);
      return;
    }
    for (const found of perCallConnections(model)) {
      if (found.dropped) {
        reportDropped(ctx, model, found, found.dropped.callSites);
        continue;
      }
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
          `${where} opens a Temporal ${found.api} and closes it again (line ${close.line}) on every call instead of reusing one: each call makes ${connectionCost(found, 'closed')}.${callerText} ` +
          'How often that happens depends on how often it is called (per activity or per request, connections churn), which the review cannot see.',
        fix: 'Create the Connection (and Client) once per process, e.g. in a module-level lazy getter or at worker start, reuse it, and close it on shutdown; in an activity, getClient() from @temporalio/activity (recent SDKs) reuses the worker\'s own connection.',
        related: found.activities.map((activity) => ({ ...model.locate(activity.node), message: `activity ${activity.name} reaches it` })),
        data: { api: found.api, function: found.name ?? null, activities: callers, closeLine: close.line, closeFile: relativePath(model.root, close.file) },
      });
    }
  },
});

/**
 * What one more connection costs, as the SDK and grpc-js make it (@temporalio/client 1.x over
 * @grpc/grpc-js 1.x). `Connection.connect` builds a new grpc-js channel and awaits a getSystemInfo
 * call on it (ensureConnected). grpc-js gives the channel its sockets (subchannels) from a global
 * pool, shared by every channel with the same address, channel options and credentials: insecure
 * credentials compare equal, while TLS credentials compare equal only when they hold the same
 * secure context, and the SDK builds a new one (`credentials.createSsl`) on every connect with
 * `tls` or `apiKey`. So without TLS the channels of repeated connects share one TCP connection,
 * and with TLS each one opens its own TCP connection and TLS handshake. A channel that is never
 * closed keeps its sockets (with keepalive pings) until it has gone 30 minutes without a call
 * (grpc.client_idle_timeout_ms), and stays in grpc-js's channelz registry until close(). The
 * transport is read from an options object written at the call; anything else is unknown.
 * NativeConnection (the worker's, in the Rust core) shares nothing between connections.
 */
function connectionCost(found: PerCallConnection, state: 'closed' | 'open'): string {
  if (found.api !== 'Connection') {
    return state === 'closed'
      ? 'a new connection (DNS, TCP and TLS handshakes, server-side connection state)'
      : 'a new connection (DNS, TCP and TLS handshakes, a socket, server-side connection state) that nothing closes and that stays open until the process exits';
  }
  const transport = transportOf(found.call);
  if (state === 'closed') {
    if (transport === 'tls') return 'a new gRPC channel: a DNS lookup, a new TCP connection with its TLS handshake, and a getSystemInfo round trip';
    const shared = 'a DNS lookup, a getSystemInfo round trip, and a new TCP connection unless another open connection to the same address lends its socket (grpc-js shares sockets between channels with the same address, options and credentials';
    return transport === 'plain'
      ? `a new gRPC channel: ${shared})`
      : `a new gRPC channel: ${shared}; with TLS, which builds new credentials on every connect, it never does, and each call pays a TLS handshake too)`;
  }
  const channel = 'a new gRPC channel that nothing closes: a DNS lookup and a getSystemInfo round trip per call, and channel state that is never released (grpc-js keeps every channel in its channelz registry until close())';
  if (transport === 'plain') return `${channel}. The socket itself is shared: grpc-js reuses one TCP connection for channels with the same address, options and credentials, and these connect without TLS`;
  const sockets = 'a new TCP connection and TLS handshake per call (every connect builds new TLS credentials, and grpc-js shares a socket only between channels with equal credentials), each socket kept open until its channel has gone 30 minutes without a call';
  return transport === 'tls' ? `${channel}, and ${sockets}` : `${channel}; when it connects with TLS (\`tls\` or \`apiKey\`), also ${sockets}`;
}

/**
 * 'plain' when the options written at a `Connection.connect(...)` call leave TLS off (no options,
 * or an object literal without `tls`, `apiKey`, `credentials`, a local subchannel pool or a spread;
 * `tls: false` is off); 'tls' when it sets `tls` to `true` or an object; undefined otherwise (options
 * from a variable, `tls` from an expression, an `apiKey` without `tls`, which may be unset).
 */
function transportOf(call: ts.CallExpression): 'plain' | 'tls' | undefined {
  const options = call.arguments[0];
  if (!options) return 'plain';
  let node: ts.Expression = options;
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  let transport: 'plain' | 'tls' = 'plain';
  let apiKey = false;
  for (const property of node.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) return undefined;
    const name = property.name.getText().replace(/^['"]|['"]$/g, '');
    if (name === 'credentials') return undefined;
    // An API key turns TLS on unless `tls: false`; it may be unset at run time.
    if (name === 'apiKey') apiKey = true;
    if (name === 'channelArgs' && /use_local_subchannel_pool/.test(property.getText())) return undefined;
    if (name !== 'tls') continue;
    if (!ts.isPropertyAssignment(property)) return undefined;
    const value = property.initializer;
    if (value.kind === ts.SyntaxKind.FalseKeyword || value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined')) continue;
    if (value.kind === ts.SyntaxKind.TrueKeyword || ts.isObjectLiteralExpression(value)) transport = 'tls';
    else return undefined;
  }
  return apiKey && transport === 'plain' ? undefined : transport;
}

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
      `Each such call makes ${connectionCost(found, 'open')}.${why}`,
    fix: "Create the Connection and Client once per process (a module-level lazy getter: `clientPromise ??= connect()`), reuse it, and close it on shutdown; in an activity, getClient() from @temporalio/activity reuses the worker's own connection.",
    related: [
      ...sites.slice(0, 5).map((site) => ({ ...model.locate(site), message: 'called here; the result is not kept for reuse' })),
      ...found.activities.slice(0, 5).map((activity) => ({ ...model.locate(activity.node), message: `activity ${activity.name} reaches it` })),
    ],
    data: { api: found.api, function: found.name ?? null, activities: callers, leaks: true, callSites: sites.length },
  });
}

/**
 * Python: a `Client.connect(...)` made anew, and kept nowhere, in a function that runs per request,
 * message or activity execution (directly or through helpers that return the client). A warning
 * when the handler shape is certain (a route decorator, a view class, an activity, Depends); a note
 * when it is read from a parameter's name or type.
 */
function reportPython(ctx: CheckContext, found: PythonPerCallConnection): void {
  if (found.kind === 'uncalled') return reportUncalledPython(ctx, found);
  const certain = found.sites.some((site) => site.certain);
  const at = (location: { file: string; line: number }) => `${relativePath(ctx.root, location.file)}:${location.line}`;
  const first = found.sites[0]!;
  const perUse = `each ${found.sites.some((site) => /activity/.test(site.context)) ? 'execution' : 'request or message'} opens a new Temporal client connection (DNS, TCP and TLS handshakes, server-side connection state) instead of reusing one`;
  let message: string;
  if (found.kind === 'direct') {
    message = `${first.function} calls Client.connect on every call and keeps the client nowhere: ${first.context}, so ${perUse}.`;
  } else {
    const through = found.helpers.length > 0 ? ` (through ${found.helpers.join(', ')})` : '';
    const list = found.sites
      .slice(0, 4)
      .map((site) => `${at(site.location)}: ${site.context}`)
      .join('; ');
    const more = found.sites.length > 4 ? `; and ${found.sites.length - 4} more` : '';
    const what = found.kind === 'returned' ? 'returns a new client from Client.connect on every call' : 'connects a new client with Client.connect on every call and keeps it nowhere';
    const places = found.sites.length === 1 ? 'a place' : `${found.sites.length} places`;
    message = `${found.function} ${what}${through}, and ${places} in code that runs per request, message or activity execution ${found.sites.length === 1 ? 'reaches' : 'reach'} it without keeping a client for reuse (${list}${more}), so ${perUse}.`;
  }
  if (!certain) message += ' That the function runs per request is read from its parameters, which the review cannot confirm.';
  ctx.report({
    location: found.location,
    ...(certain ? { severity: 'warning' as const } : {}),
    message,
    fix: 'Connect once per process and reuse the client: in a lifespan or start-up hook (stored on `app.state`), a module-level lazy getter (`global _client; if _client is None: _client = await Client.connect(...)`), or a cached getter; inside an activity, recent temporalio versions give the worker\'s own client with `activity.client()`.',
    related: found.sites.slice(0, 5).map((site) => ({ ...site.location, message: `a new client per call: ${site.context}` })),
    data: { api: 'Client.connect', function: found.function, kind: found.kind, helpers: found.helpers, sites: found.sites.length, certain },
  });
}

/**
 * Python: a module-level start helper that connects a new client on every call, acts on a workflow
 * with it and keeps it nowhere, and that nothing in the project calls. Its callers are elsewhere
 * (another service, code not written yet), so how often it runs is unknown: a note.
 */
function reportUncalledPython(ctx: CheckContext, found: PythonPerCallConnection): void {
  const use = found.use ? ` (${relativePath(ctx.root, found.use.file)}:${found.use.line})` : '';
  ctx.report({
    location: found.location,
    message:
      `${found.function} connects a new client with Client.connect on every call, uses it for one workflow${use} and keeps it nowhere. ` +
      `It takes the workflow's inputs and no code of the project (tests aside) calls it, so it is a helper for callers elsewhere: each start through it opens a new Temporal ` +
      'client connection (DNS, TCP and TLS handshakes, server-side connection state) instead of reusing one. How often that happens depends on those callers, which the review cannot see.',
    fix: 'Connect once per process and pass the client in, or keep it in a module-level lazy getter (`global _client; if _client is None: _client = await Client.connect(...)`) or a lifespan hook (`app.state`).',
    related: found.use ? [{ ...found.use, message: 'the new client is used here, then dropped' }] : [],
    data: { api: 'Client.connect', function: found.function, kind: found.kind, helpers: [], sites: 0, certain: false },
  });
}

/**
 * TypeScript: a function that opens a connection, uses it and neither closes it nor hands it out.
 * Every call leaves one more gRPC connection open until the process exits. A warning when the code
 * shows the function runs per activity execution or per request (a route handler, a request
 * parameter, a decorator); a note when only the file's place says so (a `handlers/` folder);
 * nothing when nothing shows it runs more than once per process (a script, a CLI command).
 */
function reportDropped(ctx: CheckContext, model: TemporalModel, found: PerCallConnection, sites: ts.CallExpression[]): void {
  const where = found.name ?? 'this function';
  const contextOf = (node: ts.Node): { text: string; certain: boolean } | undefined => {
    const text = requestContext(node, ctx.root);
    if (!text) return undefined;
    return { text, certain: text !== requestFileContext(node.getSourceFile().fileName, ctx.root) };
  };
  const own = contextOf(found.call);
  const fromSites = sites.map((site) => ({ site, context: contextOf(site) })).filter((entry) => entry.context !== undefined);
  const callers = found.activities.map((activity) => activity.name);
  const certainSite = fromSites.find((entry) => entry.context!.certain);
  const certain = callers.length > 0 || own?.certain === true || certainSite !== undefined;
  // Nothing shows the function runs more than once per process (a script's test run, a CLI
  // command), or only a folder name suggests it in tool code: a leak there is harmless.
  if (!certain && (!(own || fromSites.length > 0) || isToolCode(relativePath(model.root, found.call.getSourceFile().fileName)))) return;
  const at = (node: ts.Node) => {
    const location = model.locate(node);
    return `${relativePath(model.root, location.file)}:${location.line}`;
  };
  const why =
    callers.length > 0
      ? ` The activities ${callers.slice(0, 6).join(', ')}${callers.length > 6 ? ` and ${callers.length - 6} more` : ''} reach it, so every activity execution leaves one connection open.`
      : own?.certain
        ? ` It runs per request (${own.text}), so every request leaves one connection open.`
        : certainSite
          ? ` It runs per request: it is called at ${at(certainSite.site)} (${certainSite.context!.text}), so every request leaves one connection open.`
          : ` It looks like request-handling code (${(own ?? fromSites[0]!.context!).text}), so each request would leave one connection open; how often it runs is not certain from the code.`;
  ctx.report({
    location: model.locate(found.call),
    ...(certain ? { severity: 'warning' as const } : {}),
    message:
      `${where} opens a new Temporal ${found.api} on every call, uses it and never closes it (no close() on any path, and the connection is not handed out). ` +
      `Each call makes ${connectionCost(found, 'open')}.${why}`,
    fix: "Create the Connection and Client once per process (a module-level lazy getter: `clientPromise ??= connect()`) and reuse it, closing it on shutdown; if a per-call connection is really wanted, close it in a `finally`.",
    related: [
      ...fromSites.slice(0, 3).map((entry) => ({ ...model.locate(entry.site), message: `called here: ${entry.context!.text}` })),
      ...found.activities.slice(0, 5).map((activity) => ({ ...model.locate(activity.node), message: `activity ${activity.name} reaches it` })),
    ],
    data: { api: found.api, function: found.name ?? null, activities: callers, dropped: true, callSites: sites.length, certain },
  });
}
