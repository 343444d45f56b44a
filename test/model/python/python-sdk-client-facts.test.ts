// What the Python SDK (temporalio 1.35.0) does with requests workflow code makes on client objects,
// asked of a real Worker against a real dev server: the facts workflow-nondeterministic-call's
// messages about clients rest on. Runs only when PREFLIGHT_PYTHON names an interpreter with
// temporalio, pymongo, motor, redis, httpx and requests installed, and the temporal CLI is on PATH.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const python = process.env.PREFLIGHT_PYTHON ?? '';
const dir = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-sdk-client-facts');
const temporal = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
const available =
  python !== '' && fs.existsSync(python) && temporal !== '' &&
  spawnSync(python, ['-c', 'import temporalio, pymongo, motor, redis, httpx, requests'], { timeout: 30_000 }).status === 0;
if (!available) console.warn('skipping the Python client facts: set PREFLIGHT_PYTHON to an interpreter with temporalio, pymongo, motor, redis, httpx and requests, and put the temporal CLI on PATH');

describe.skipIf(!available)('temporalio (Python SDK): requests on client objects in workflow code, on a real worker and dev server', () => {
  test('the sandbox rejects a sync pymongo query wherever the client was made, lets other clients made outside it send their request, and an async client finds no sockets on the workflow loop', () => {
    const run = spawnSync(python, ['client_facts.py', temporal], { cwd: dir, encoding: 'utf8', timeout: 150_000 });
    expect(run.status, run.stderr).toBe(0);
    const facts = JSON.parse(run.stdout.trim().split('\n').pop()!) as { version: string; sandboxed: Record<string, string>; sandboxed_false: Record<string, string> };
    expect(facts.version).toBe('1.35.0');
    expect(facts.sandboxed).toEqual({
      'pymongo client made in the workflow': 'restricted',
      'pymongo client made outside, find': 'restricted',
      'pymongo in sandbox_unrestricted': 'request-sent',
      motor: 'no-sockets',
      'httpx client made outside': 'request-sent',
      'requests session made outside': 'request-sent',
      'redis.asyncio client made outside': 'no-sockets',
    });
    // Without the sandbox a pymongo find() only builds its cursor (the query runs when it is read); the loop still has no sockets.
    expect(facts.sandboxed_false).toEqual({ 'pymongo client made outside, find': 'returned', 'redis.asyncio client made outside': 'no-sockets' });
  }, 160_000);
});
