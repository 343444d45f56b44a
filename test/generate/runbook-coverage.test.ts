import { describe, expect, it } from 'vitest';
import { scanRunbooks } from '../../src/generate/runbook-coverage.js';

const files: Record<string, string> = {
  'docs/runbooks/process-order.md': '# Orders\n',
  'docs/runbooks/payments.md': '# Payments\n\n## When refundOrder fails\n\nText mentioning syncCatalog only in prose.\n',
  'docs/runbooks/Nightly_Batch.markdown': 'no heading\n',
  'docs/other/syncCatalog.md': '# syncCatalog\n',
};
const project = {
  globProjectFiles: (patterns: string[]) =>
    Object.keys(files).filter((f) => patterns.some((p) => f.startsWith(p.split('/**')[0]!))).sort(),
  readProjectFile: (f: string) => files[f],
};

describe('scanRunbooks', () => {
  const scan = scanRunbooks(project, './docs/runbooks/');
  it.each([
    ['processOrder', 'docs/runbooks/process-order.md'],
    ['refundOrder', 'docs/runbooks/payments.md'],
    ['nightlyBatch', 'docs/runbooks/Nightly_Batch.markdown'],
    ['syncCatalog', undefined],
    ['refund', undefined],
  ])('finds the runbook of %s', (type, expected) => {
    expect(scan.runbookFor(type)).toBe(expected);
  });

  it('normalizes the folder', () => {
    expect(scan.dir).toBe('docs/runbooks');
  });
});
