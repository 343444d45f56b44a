// Precision of the payload checks on mini-projects: only activity types a workflow schedules are
// payloads, a payload codec changes what a credential in a payload means, and loops that something
// bounds are not unbounded history.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import type { Finding } from '../../../src/engine/types.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

function review(name: string): (checkId: string) => Finding[] {
  const root = path.join(fixturesDir, name);
  const { model } = buildTemporalModel({ root });
  const { config } = loadConfig(root);
  return (checkId) => runChecks({ root, config, checks: checks.filter((c) => c.id === checkId), model }).findings;
}

describe('activity payloads are what a workflow schedules', () => {
  const findings = review('payloads-unscheduled');

  it('skips a helper the activity calls directly and an old version no workflow calls', () => {
    const names = findings('payload-carries-collection').map((f) => f.data?.['name']);
    expect(names).not.toContain('loadLines');
    expect(names).not.toContain('chargeOrderV1');
    expect(findings('payload-carries-secret')).toEqual([]);
  });

  it('still reads an activity the worker registers and a workflow schedules by name through a declared interface', () => {
    expect(findings('payload-carries-collection').map(where)).toEqual([
      { checkId: 'payload-carries-collection', severity: 'warning', file: 'src/activities.ts', line: 23 },
    ]);
    expect(findings('payload-carries-collection')[0]!.data?.['name']).toBe('refundOrder');
  });
});

describe('payload-carries-secret with a payload codec', () => {
  it('is info, naming the codec and where it is configured, when the worker encrypts payloads', () => {
    const found = review('payloads-codec')('payload-carries-secret');
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'info', file: 'src/activities.ts', line: 1 },
      { checkId: 'payload-carries-secret', severity: 'info', file: 'src/workflows.ts', line: 6 },
    ]);
    expect(found[0]!.message).toMatch(/^Activity callPartner takes `apiKey` \(string\), which looks like a credential\. It is encrypted by codec EncryptionCodec \(on the worker at src\/worker\.ts:9\); a key rotation/);
    expect(found[0]!.message).not.toMatch(/plain text/);
  });

  it('stays a warning when the data converter only sets a payload converter', () => {
    const found = review('payloads-converter-path')('payload-carries-secret');
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 1 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/workflows.ts', line: 6 },
    ]);
    expect(found[0]!.message).toMatch(/stored in plain text/);
  });
});
