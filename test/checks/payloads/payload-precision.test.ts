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
      { checkId: 'payload-carries-collection', severity: 'info', file: 'src/activities.ts', line: 23 },
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

describe('payload-carries-secret groups payloads of one type', () => {
  it('reports a credential field of a type shared by three activities once, the others as related locations', () => {
    const found = review('payloads-shared-secret')('payload-carries-secret');
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 6 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 18 },
    ]);
    expect(found[0]!.message).toMatch(/^Activity planStep takes `input\.providerApiKey` \(string \| undefined\), which looks like a credential\./);
    expect(found[0]!.message).toMatch(/2 other payloads carry the same fields of the same type \(listed as related locations\): fix the type once\.$/);
    expect(found[0]!.related?.map((r) => [r.file, r.line])).toEqual([
      ['src/activities.ts', 10],
      ['src/activities.ts', 14],
    ]);
    expect(found[0]!.data?.['alsoIn']).toEqual(['activity executeStep input', 'activity reportStep input']);
  });

  it('keeps two primitive parameters apart: a string called sessionToken is its own finding', () => {
    const found = review('payloads-shared-secret')('payload-carries-secret');
    expect(found[1]!.message).toMatch(/^Activity notifyOwner takes `sessionToken` \(string\)/);
    expect(found[1]!.related).toBeUndefined();
  });
});

describe('workflow-unbounded-history and what bounds a loop', () => {
  const found = review('payloads-loops')('workflow-unbounded-history');

  it('warns only about loops nothing bounds or whose collection grows in the loop; input-sized and signal-fed drains are info', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 12 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 22 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 28 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 36 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 52 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 60 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 68 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 77 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 89 },
    ]);
    expect(found.map((f) => [f.data?.['workflow'], f.data?.['bound']])).toEqual([
      ['pollCounted', 'bounded'],
      ['publishThread', 'bounded'],
      ['drainOnce', 'bounded'],
      ['publishAll', 'bounded'],
      // Fed only by a signal handler: one iteration per signal received (held-out pattern 10).
      ['publishQueue', 'bounded'],
      ['publishReplies', 'grows'],
      ['pollForever', 'none'],
      ['readPages', 'none'],
      ['persistProofs', 'bounded'],
    ]);
  });

  it('gives the input size that reaches the 10,240-event warning, from the work in one iteration', () => {
    // An activity and a timer: 3 events each, plus a workflow task (3 events) after each.
    expect(found[0]!.data?.['eventsPerIteration']).toBe(12);
    expect(found[0]!.message).toBe(
      'Workflow pollCounted loops (`while (true) {`) as many times as max, and each iteration adds about 12 history events (activity poll, timer sleep). ' +
        'About 853 iterations reach the 10,240-event warning (the server terminates the workflow at 51,200): fine while max stays below that.',
    );
    expect(found[1]!.data?.['by']).toBe('posts');
    expect(found[1]!.data?.['iterationsToWarning']).toBe(1706);
  });

  it('points at where the collection grows', () => {
    expect(found[5]!.message).toMatch(/^Workflow publishReplies loops \(`for \(const postId of pending\) \{`\) over pending, which grows while the loop runs/);
    expect(found[5]!.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 62, message: 'pending grows here' });
  });
});

describe('workflow-unbounded-history with a fixed bound', () => {
  it('warns when the fixed bound passes the iterations that reach the 10,240-event warning, and says both numbers', () => {
    const found = review('payloads-fixed-bound')('workflow-unbounded-history');
    expect(found.map(where)).toEqual([{ checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 8 }]);
    expect(found[0]!.message).toBe(
      'Workflow watchMirror loops (`for (let round = 0; round < 1000; round++) {`) up to 1,000 times (1000), and each iteration adds about 12 history events (activity checkMirror, timer sleep). ' +
        'About 853 iterations reach the 10,240-event warning, so a run that goes the full 1,000 writes about 12,000 events (the server terminates the workflow at 51,200), and every replay and cache miss gets slower on the way.',
    );
    expect(found[0]!.data).toMatchObject({ limit: 1000, iterationsToWarning: 853, eventsAtLimit: 12000 });
  });
});

describe('payload-carries-collection and types from unresolved modules', () => {
  it('does not take the shapes the checker makes up from `any` for maps or arrays, and still finds real arrays beside them', () => {
    const found = review('payloads-unresolved')('payload-carries-collection');
    expect(found.map(where)).toEqual([{ checkId: 'payload-carries-collection', severity: 'info', file: 'src/activities.ts', line: 12 }]);
    expect(found[0]!.data?.['path']).toBe('result.tags');
  });
});

describe('workflow-unbounded-history: continue-as-new in a helper, a finite job graph', () => {
  const found = review('payloads-loop-helpers')('workflow-unbounded-history');

  it('sees continueAsNew, makeContinueAsNewFunc and a thrown ContinueAsNew in helpers of another module', () => {
    const workflows = found.map((f) => f.data?.['workflow']);
    expect(workflows).not.toContain('follow');
    expect(workflows).not.toContain('listen');
    expect(workflows).not.toContain('watch');
  });

  it('reads a scheduler that settles one job it started per pass as bounded by the jobs (info), and keeps the true unbounded loops', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 38 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 41 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 53 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 63 },
      { checkId: 'workflow-unbounded-history', severity: 'info', file: 'src/workflows.ts', line: 78 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 94 },
      { checkId: 'workflow-unbounded-history', severity: 'warning', file: 'src/workflows.ts', line: 111 },
    ]);
    expect(found.map((f) => [f.data?.['workflow'], f.data?.['bound']])).toEqual([
      ['runGraph', 'bounded'],
      ['runGraph', 'bounded'],
      ['runForever', 'none'],
      ['pollForever', 'none'],
      ['session', 'none'],
      ['supervise', 'none'],
      ['report', 'none'],
    ]);
    expect(found[0]!.message).toMatch(/^Workflow runGraph loops \(`while \(true\) \{`\) as many times as the jobs put in inFlight, and each iteration adds about 6 history events \(activity runJob\)/);
  });

  it('makes a helper loop with a way out info when the workflow calls it only from a loop that continues as new', () => {
    const session = found.find((f) => f.data?.['workflow'] === 'session')!;
    expect(session.message).toMatch(/^Workflow session loops \(`while \(true\) \{`\) in flush\(\), which it calls only from a loop that continues as new \(line 84\)/);
    expect(session.related?.[0]).toMatchObject({ file: 'src/workflows.ts', line: 84, message: 'the loop that continues as new' });
  });
});
