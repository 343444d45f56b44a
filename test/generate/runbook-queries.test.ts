// The visibility queries the runbooks print must be accepted by a real server: runs each one
// through `temporal workflow list` against the dev server with the search attributes registered.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunbooks } from '../../src/generate/runbooks.js';
import { sampleFacts } from './sample-facts.js';
import { findTemporalCli, startDevServer, type DevServer } from '../helpers/dev-server.js';

const run = promisify(execFile);

describe('runbook queries against the dev server', () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer({ searchAttributes: { CustomerId: 'Keyword', OrderTotal: 'Double' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('are all accepted by temporal workflow list / count', async () => {
    const text = buildRunbooks(sampleFacts()).map((r) => r.content).join('\n');
    const queries = [...new Set([...text.matchAll(/--query '([^']+)'/g)].map((m) => m[1]!.replace(/<[^>]+>/g, 'x')))];
    expect(queries.length).toBeGreaterThan(8);
    for (const query of queries) {
      const [command, q] = query.includes('GROUP BY') ? ['count', query] : ['list', query];
      const result = await run(findTemporalCli(), ['workflow', command!, '--query', q!, '--address', server.address]).catch((error: { stderr: string }) => ({ stderr: error.stderr, failed: true }));
      expect('failed' in result ? `${q}: ${result.stderr}` : 'ok').toBe('ok');
    }
  }, 60_000);
});
