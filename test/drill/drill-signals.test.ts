// Ctrl-C or SIGTERM in the middle of a drill: the process exits with 128 + the signal number,
// and the throwaway dev server (in its own session, so the terminal's Ctrl-C never reaches it),
// the worker process and the temporary folders go with it. Before, all three stayed behind.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { leftoverProcesses, repoRoot, runCliProcess } from '../helpers/cli-process.js';

const fixture = path.join(repoRoot, 'test/fixtures/drill-outage');
const BOUND_MS = 240_000;

describe('a drill stopped by a signal leaves nothing behind', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s while workflows run: exit %i, no server, worker or temporary folder left', async (signal, code) => {
    let sent = false;
    const run = await runCliProcess(
      [
        'drill', 'outage',
        '--workflows', path.join(fixture, 'src/workflows.ts'),
        '--activities', path.join(fixture, 'src/activities.ts'),
        '--scenario', path.join(fixture, 'scenario.json'),
        '--fail-activity', 'chargeCard',
        '--outage', '10m',
      ],
      {
        timeoutMs: BOUND_MS,
        // the server is up and the worker polls once the drill starts its workflows
        onOutput(child, _stdout, stderr) {
          if (!sent && /outage of chargeCard/.test(stderr)) {
            sent = true;
            child.kill(signal);
          }
        },
      },
    );
    expect(sent).toBe(true);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(code);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`temporal-preflight: stopped by ${signal}; the drill's server, worker and temporary files are removed`);
    expect(await leftoverProcesses(run.marker)).toEqual([]);
    expect(run.leftoverTemp).toEqual([]);
  }, BOUND_MS + 20_000);
});
