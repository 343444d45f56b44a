// The visibility queries the runbooks print must be accepted by a real server: runs each one
// through `temporal workflow list` against the dev server with the search attributes registered.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRunbooks } from '../../src/generate/runbooks.js';
import { sampleFacts } from './sample-facts.js';
import { startDevServer, type DevServer } from './start-dev-server.js';
import { temporalCliAvailable } from './temporal-cli.js';

const run = promisify(execFile);
const cli = temporalCliAvailable();

describe.skipIf(!cli.available)(`runbook queries against the dev server${cli.available ? '' : ` (skipped: ${cli.reason})`}`, () => {
  let server: DevServer;
  beforeAll(async () => {
    server = await startDevServer(['--search-attribute', 'CustomerId=Keyword', '--search-attribute', 'OrderTotal=Double']);
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
      const result = await run('temporal', ['workflow', command!, '--query', q!, '--address', server.address]).catch((error: { stderr: string }) => ({ stderr: error.stderr, failed: true }));
      expect('failed' in result ? `${q}: ${result.stderr}` : 'ok').toBe('ok');
    }
  }, 60_000);
});
