// A connection whose options are written in the code without tls, apiKey or metadata gets a note;
// options with a security option, options from a helper or an unresolved spread, and scripts are
// left alone.
import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/connection-without-tls-option.js';
import { fixtureReview, where } from './fixture-review.js';

describe('connection-without-tls-option', () => {
  const findings = fixtureReview('connection-without-tls-option').run(check);

  it('reports the plain connections written in production code, and nothing else', () => {
    expect(where(findings)).toEqual([
      'connection-without-tls-option info src/client.ts:4',
      'connection-without-tls-option info src/defaults.ts:4',
      'connection-without-tls-option info src/worker.ts:5',
    ]);
  });

  it('names the call, the address when it is a literal, and the consequence', () => {
    const [client, defaults, worker] = findings;
    expect(defaults!.message).toContain('Connection.connect is called with no options, so it connects to localhost:7233 in plain text');
    expect(client!.message).toContain("Connection.connect connects with options written here (address 'temporal.internal:7233') and no tls, apiKey or metadata option");
    expect(worker!.message).toContain("NativeConnection.connect connects with options written here (address from process.env.TEMPORAL_ADDRESS, default 'localhost:7233') and no tls");
    expect(worker!.message).toContain('Temporal Cloud');
    expect(worker!.fix).toContain('apiKey: process.env.TEMPORAL_API_KEY');
  });
});
