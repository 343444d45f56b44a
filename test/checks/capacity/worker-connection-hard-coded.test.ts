// A production worker whose address or namespace is a literal (or the SDK default) while another
// part of the project reads that setting from the environment is reported; workers that read both
// settings, scripts/ runners and projects where every part is literal are left alone.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import check, { DEFAULT_ADDRESS, DEFAULT_NAMESPACE } from '../../../src/checks/capacity/worker-connection-hard-coded.js';
import { fixtureReview, where } from './fixture-review.js';

describe('worker-connection-hard-coded', () => {
  const findings = fixtureReview('worker-connection-hard-coded').run(check);

  it('uses the SDK defaults of @temporalio/worker (address localhost:7233, namespace default)', () => {
    expect(DEFAULT_ADDRESS).toBe('localhost:7233');
    expect(DEFAULT_NAMESPACE).toBe('default');
    const lib = path.resolve(import.meta.dirname, '../../../node_modules/@temporalio/worker/lib');
    expect(fs.readFileSync(path.join(lib, 'connection-options.js'), 'utf8')).toContain("options.address ?? 'localhost:7233'");
    expect(fs.readFileSync(path.join(lib, 'worker-options.js'), 'utf8')).toContain("namespace: namespace ?? 'default'");
  });

  it('reports literal or default settings of production workers, and nothing else', () => {
    expect(where(findings)).toEqual([
      'worker-connection-hard-coded warning src/audit-worker.ts:4',
      'worker-connection-hard-coded warning src/billing-worker.ts:4',
      'worker-connection-hard-coded info src/mail-worker.ts:7',
      'worker-connection-hard-coded warning src/queue-manager.ts:15',
    ]);
  });

  it('names the literal, the SDK default and where the setting is read from configuration', () => {
    const [audit, billing, mail, manager] = findings;
    expect(billing!.message).toContain("its address is 'temporal.internal:7233' written in the code, while src/client.ts:4 reads the address from TEMPORAL_ADDRESS");
    expect(audit!.message).toContain("its namespace is the SDK default 'default' (no namespace given)");
    expect(audit!.message).toContain("its address is the SDK default 'localhost:7233' (no address given)");
    expect(mail!.message).toContain("its namespace is 'default' written in the code");
    expect(mail!.message).toContain('Today the variable falls back to the same value');
    expect(manager!.message).toContain("its address is 'localhost:7233' written in the code");
  });

  it('stays silent when every connection of the project is literal (a local-only project)', () => {
    expect(fixtureReview('worker-connection-hard-coded-local').run(check)).toEqual([]);
  });
});

describe('worker-connection-hard-coded across the packages of a workspace', () => {
  it('reports a worker left to the SDK default when another package of the workspace reads the address and starts workflows on its task queue', () => {
    const findings = fixtureReview('worker-connection-hard-coded-workspace').run(check);
    expect(where(findings)).toEqual(['worker-connection-hard-coded warning apps/worker/src/index.ts:4']);
    expect(findings[0]!.message).toContain("its address is the SDK default 'localhost:7233' (no address given), while apps/api/src/temporal.ts:4 reads the address from TEMPORAL_ADDRESS");
    expect(findings[0]!.message).toContain("The two are packages of one workspace, and apps/api starts workflows on this worker's task queue 'orders'.");
    expect(findings[0]!.message).not.toContain('namespace');
  });

  it('stays silent for packages that are not one workspace', () => {
    expect(fixtureReview('worker-connection-hard-coded-packages').run(check)).toEqual([]);
  });
});
