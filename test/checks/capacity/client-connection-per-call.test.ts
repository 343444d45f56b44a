// client-connection-per-call: a function that opens a Temporal connection and closes it again on
// every call (a per-use client helper, a helper an activity calls), but not a process-lifetime
// connection (a memoised client, a script's main()).

import { describe, expect, it } from 'vitest';
import clientConnectionPerCall from '../../../src/checks/capacity/client-connection-per-call.js';
import { fixtureReview, where } from './fixture-review.js';

describe('client-connection-per-call', () => {
  it('reports connections opened and closed per call, with the activities that reach them', { timeout: 120_000 }, () => {
    const review = fixtureReview('client-connection-per-call');
    const findings = review.run(clientConnectionPerCall);
    expect(where(findings)).toEqual([
      'client-connection-per-call info src/temporal-client.ts:7',
      'client-connection-per-call info src/temporal-client.ts:17',
    ]);
    expect(findings[0]!.message).toContain('clientFactory opens a Temporal Connection and closes it again (line 11) on every call');
    // `{ address }` without TLS: a socket is new only when no other open connection lends one (see the cost test below).
    expect(findings[0]!.message).toContain('each call makes a new gRPC channel: a DNS lookup, a getSystemInfo round trip, and a new TCP connection unless another open connection to the same address lends its socket');
    expect(findings[0]!.message).not.toContain('TLS');
    // workflowStatus resolves the factory's closure from the container by the token it is registered under.
    expect(findings[0]!.related).toEqual([expect.objectContaining({ file: 'src/activities.ts', line: 14, message: 'activity workflowStatus reaches it' })]);
    expect(findings[1]!.message).toContain('The activities releaseLock reach it');
    expect(findings[1]!.related).toEqual([expect.objectContaining({ file: 'src/activities.ts', line: 4, message: 'activity releaseLock reaches it' })]);
  });
});

describe('client-connection-per-call: client factories', () => {
  it('warns when a factory hands out a new connection per activity or per request, not when its caller keeps it', { timeout: 120_000 }, () => {
    const findings = fixtureReview('client-connection-factory').run(clientConnectionPerCall);
    expect(where(findings)).toEqual([
      'client-connection-per-call warning src/route-client.ts:8',
      'client-connection-per-call warning src/temporal.ts:5',
    ]);
    expect(findings[1]!.message).toContain('getTemporalClient opens a new Temporal Connection on every call and hands it out without closing it');
    expect(findings[1]!.message).toContain('The activities scheduleFollowUp reach it, so every execution opens one.');
    expect(findings[0]!.message).toContain('connectForRoute opens a new Temporal Connection on every call');
    expect(findings[0]!.message).toContain('It runs per request');
    expect(findings[0]!.related?.[0]).toEqual(expect.objectContaining({ file: 'src/app/api/leads/route.ts', line: 5 }));
  });
});

describe('client-connection-per-call: connections left open', () => {
  it('warns when a request handler opens a connection and never closes it; a note when only the folder says so; nothing when nothing does', { timeout: 120_000 }, () => {
    const findings = fixtureReview('client-connection-dropped').run(clientConnectionPerCall);
    expect(where(findings)).toEqual([
      'client-connection-per-call warning src/handlers/run.ts:4',
      'client-connection-per-call info src/routes/status.ts:5',
    ]);
    expect(findings[0]!.message).toContain('handleRun opens a new Temporal Connection on every call, uses it and never closes it');
    expect(findings[0]!.message).toContain('Each call makes a new gRPC channel that nothing closes: a DNS lookup and a getSystemInfo round trip per call');
    expect(findings[0]!.message).not.toContain('stays open until the process exits');
    expect(findings[0]!.message).toContain('It runs per request: it is called at src/handlers/run.ts:12 (POST takes the request or message `request`)');
    expect(findings[1]!.message).toContain('It looks like request-handling code (its file is under routes/: src/routes/status.ts)');
  });
});

// What a connection costs, from @grpc/grpc-js 1.14 and @temporalio/client 1.24 (node_modules):
// grpc-js takes a channel's sockets (subchannels) from a global pool keyed by address, channel
// options and credentials (subchannel-pool.js getOrCreateSubchannel). Insecure credentials compare
// equal; TLS credentials only when they hold the same secure context, and Connection.connect builds
// a new one (credentials.createSsl) whenever `tls` or `apiKey` is set. So without TLS repeated
// connects share one TCP connection (each still resolves DNS and awaits getSystemInfo in
// ensureConnected, and an unclosed channel stays in the channelz registry); with TLS each opens a
// socket with its own handshake, kept until the channel has been idle for 30 minutes.
describe('client-connection-per-call: what each connect costs', () => {
  it('does not claim new sockets or TLS handshakes for connects without TLS; does for TLS; says both conditionally when the options are not read', { timeout: 120_000 }, () => {
    const findings = fixtureReview('client-connection-transport').run(clientConnectionPerCall);
    expect(where(findings)).toEqual([
      'client-connection-per-call warning src/temporal.ts:5',
      'client-connection-per-call warning src/temporal.ts:11',
      'client-connection-per-call warning src/temporal.ts:23',
    ]);
    const [local, cloud, configured] = findings.map((f) => f.message);
    expect(local).toContain('a DNS lookup and a getSystemInfo round trip per call, and channel state that is never released');
    expect(local).toContain('The socket itself is shared: grpc-js reuses one TCP connection for channels with the same address, options and credentials, and these connect without TLS');
    expect(local).not.toContain('TLS handshake');
    expect(local).not.toContain('accumulate until the process restarts');
    expect(cloud).toContain('and a new TCP connection and TLS handshake per call (every connect builds new TLS credentials');
    expect(cloud).toContain('each socket kept open until its channel has gone 30 minutes without a call');
    expect(configured).toContain('when it connects with TLS (`tls` or `apiKey`), also a new TCP connection and TLS handshake per call');
  });
});
