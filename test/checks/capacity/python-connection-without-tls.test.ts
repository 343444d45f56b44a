// Python: Client.connect without tls, api_key or rpc_metadata (and nothing spread in) gets the same
// note as a TypeScript connection; a secured call, options spread in, scripts and a benchmark
// package are left alone.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-connection-without-tls');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
});

describe('connection-without-tls-option (Python)', () => {
  it('reports the plain Client.connect calls, and nothing else', () => {
    const mine = findings.filter((f) => f.checkId === 'connection-without-tls-option');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'connection-without-tls-option info app/worker.py:8',
      'connection-without-tls-option info app/worker.py:12',
    ]);
    expect(mine[1]!.message).toContain("Client.connect is called (target 'temporal.internal:7233') with no tls, api_key or rpc_metadata argument");
    expect(mine[0]!.fix).toContain("api_key=os.environ.get('TEMPORAL_API_KEY')");
  });
});
