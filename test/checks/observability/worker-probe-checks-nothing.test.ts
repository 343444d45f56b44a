// worker-probe-checks-nothing: the worker's Deployment probes run commands that always exit 0;
// a real probe of a sidecar, a startup probe and another app's workload are not reported.

import { describe, expect, it } from 'vitest';
import check from '../../../src/checks/observability/worker-probe-checks-nothing.js';
import { probeChecksNothing } from '../../../src/engine/probe-commands.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('worker-probe-checks-nothing', () => {
  it("reports the worker container's probes that cannot fail, at the first probe's line", { timeout: 120_000 }, () => {
    const findings = fixtureReview('worker-probe-checks-nothing').run(check);
    expect(where(findings)).toEqual(['worker-probe-checks-nothing info deploy/billing-worker.yaml:19']);
    expect(findings[0]!.message).toContain('The liveness probe `node -e process.exit(0)` and the readiness probe `sh -c exit 0` of container worker in Deployment billing-worker');
    expect(findings[0]!.related).toEqual([expect.objectContaining({ file: 'deploy/billing-worker.yaml', line: 26, message: 'readiness probe' })]);
  });

  it('tells commands that always succeed from commands that check something', () => {
    expect(probeChecksNothing(['node', '-e', 'process.exit(0)'])).toBe('node -e process.exit(0)');
    expect(probeChecksNothing(['/bin/sh', '-c', 'echo ok; exit 0'])).toBe('/bin/sh -c echo ok; exit 0');
    expect(probeChecksNothing(['true'])).toBe('true');
    expect(probeChecksNothing(['echo', 'alive'])).toBe('echo alive');
    expect(probeChecksNothing(['node', '-e', "require('http').get('http://localhost:8080/health', (r) => process.exit(r.statusCode === 200 ? 0 : 1))"])).toBeUndefined();
    expect(probeChecksNothing(['sh', '-c', 'test -f /tmp/healthy'])).toBeUndefined();
    expect(probeChecksNothing(['sh', '-c', 'echo $(cat /tmp/ready) | grep ok'])).toBeUndefined();
    expect(probeChecksNothing(['sh', '-c', '{{ .Values.probe }}'])).toBeUndefined();
    expect(probeChecksNothing(['exit', '1'])).toBeUndefined();
  });
});
