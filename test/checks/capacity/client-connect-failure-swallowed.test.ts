// A start-up hook that swallows a failed connection, with nothing that connects again.
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/client-connect-failure-swallowed.js';
import { fixtureReview, where, type FixtureReview } from './fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('client-connect-swallowed');
});

describe('client-connect-failure-swallowed', () => {
  it('warns at the catch of a start-up connection that only logs, not when the class connects again or the catch rethrows', () => {
    const findings = review.run(check).filter((f) => f.file === 'src/orders-client.ts');
    expect(where(findings)).toEqual(['client-connect-failure-swallowed warning src/orders-client.ts:18']);
    expect(findings[0]!.message).toMatch(
      /^onModuleInit\(\) connects to Temporal \(Connection\.connect\) and sets this\.connection and this\.client, but this catch only logs a failure, and nothing in OrdersClient connects again\..*\(placeOrder\(\) first\)/,
    );
    expect(findings[0]!.related?.map((r) => `${r.line} ${r.message}`)).toEqual(['16 the connection made only once, at start-up', '29 placeOrder() needs this.client']);
  });

  it('warns where a lazy getter caches the promise of a connection that nothing clears when it rejects', () => {
    const findings = review.run(check).filter((f) => f.file !== 'src/orders-client.ts');
    // not cached-reset.ts: a .catch or catch that clears the cache, an awaited client, a retry loop, a connect at module load
    // not resetConnection() in cached-closed.ts, which error paths may call
    expect(where(findings)).toEqual([
      // closeTemporalClient() clears the cache at shutdown, not when the connection fails
      'client-connect-failure-swallowed warning src/cached-closed.ts:11',
      'client-connect-failure-swallowed warning src/cached-connection.ts:8',
      'client-connect-failure-swallowed warning src/cached-promise.ts:8',
    ]);
    const [, field, module] = findings;
    expect(field!.message).toMatch(/^`this\.connection` caches the promise of a connection to Temporal \(Connection\.connect\)/);
    expect(field!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/cached-connection.ts:14']);
    // closeClient() clears it only after awaiting a connection that succeeded
    expect(module!.message).toContain('every later call that awaits `clientPromise` gets the same connection error, without trying again');
    expect(module!.data).toEqual({ shape: 'cached-promise', cache: 'clientPromise' });
  });
});
