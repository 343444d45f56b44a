// worker-probe-checks-nothing on a Python worker: its Deployment runs the script that starts it
// (`python -m ledger.main`, which imports ledger/worker.py) and probes it with `python -c` programs
// that only exit 0. The sidecar's real probe, the startup probe and the API's workload are not reported.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { probeChecksNothing } from '../../../src/engine/probe-commands.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-probe-checks-nothing');
let findings: Finding[];

beforeAll(async () => {
  findings = (await review({ dir: root })).findings.filter((f) => f.checkId === 'worker-probe-checks-nothing');
}, 120_000);

describe('worker-probe-checks-nothing on a Python worker', () => {
  test("reports the worker container's probes that cannot fail, at the first probe's line", () => {
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['worker-probe-checks-nothing info deploy/ledger-worker.yaml:12']);
    expect(findings[0]!.message).toContain(
      "The liveness probe `python -c import sys; sys.exit(0)` and the readiness probe `sh -c python3 -c 'pass'` of container worker in Deployment ledger-worker (which runs the worker at ledger/worker.py:9)",
    );
    expect(findings[0]!.related).toEqual([expect.objectContaining({ file: 'deploy/ledger-worker.yaml', line: 18, message: 'readiness probe' })]);
    expect(findings[0]!.fix).toContain('worker.is_running is True');
  });

  test('tells Python programs that only exit 0 from programs that check something', () => {
    expect(probeChecksNothing(['python', '-c', 'import sys; sys.exit(0)'])).toBe('python -c import sys; sys.exit(0)');
    expect(probeChecksNothing(['/usr/local/bin/python3.12', '-c', 'raise SystemExit(0)'])).toBe('/usr/local/bin/python3.12 -c raise SystemExit(0)');
    expect(probeChecksNothing(['python3', '-c', 'exit()'])).toBe('python3 -c exit()');
    expect(probeChecksNothing(['python', '-c', 'import sys; sys.exit(1)'])).toBeUndefined();
    expect(probeChecksNothing(['python', '-c', "import os, sys; sys.exit(0 if os.path.exists('/tmp/healthy') else 1)"])).toBeUndefined();
    expect(probeChecksNothing(['python', '-m', 'app.healthcheck'])).toBeUndefined();
  });
});
