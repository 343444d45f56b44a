// The parsers against every real history in ../shared/histories: all dialects parse, the
// whole-file reader and the streaming parser give the same facts as a full JSON.parse and the
// same sizes as each other, chunk boundaries do not matter, and the size estimate tracks the
// server's own historySizeBytes.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHistories } from '../../src/model/history/analyze-histories.js';
import { EventNormalizer } from '../../src/model/history/event-normalizer.js';
import { readHistoryFile } from '../../src/model/history/read-history-file.js';
import type { HistoryEventFacts } from '../../src/model/history/types.js';
import { hasSharedHistories, sharedDir, sharedHistories, sharedHistoryFiles, warnWhenAbsent } from './shared-histories.js';

warnWhenAbsent('shared-history parser tests');

/** Facts as the whole-file reader gives them, or, with chunkBytes, the streaming parser. */
function streamedFacts(file: string, chunkBytes?: number): HistoryEventFacts[] {
  const facts: HistoryEventFacts[] = [];
  const result = readHistoryFile(file, file, { onEvent: (e) => facts.push(e), ...(chunkBytes ? { buffer: Buffer.alloc(chunkBytes), wholeFileBytes: 0 } : {}) });
  expect(result.ok, `${file}: ${result.ok ? '' : result.reason}`).toBe(true);
  if (result.ok) expect(result.reader, file).toBe(chunkBytes ? 'stream' : 'whole');
  return facts;
}

function referenceFacts(file: string): HistoryEventFacts[] {
  const events = (JSON.parse(fs.readFileSync(file, 'utf8')) as { events: unknown[] }).events;
  const normalizer = new EventNormalizer();
  const facts: HistoryEventFacts[] = [];
  events.forEach((raw, index) => {
    const normalized = normalizer.normalize(raw, index);
    if ('facts' in normalized) facts.push(normalized.facts);
  });
  return facts;
}

const withoutSize = (facts: HistoryEventFacts[]) => facts.map(({ sizeBytes: _size, ...rest }) => rest);

describe.skipIf(!hasSharedHistories)('shared histories', () => {
  const files = sharedHistoryFiles();

  it('analyzes every file of ../shared/histories with no failure', () => {
    const analysis = analyzeHistories({ paths: [sharedHistories], root: sharedDir });
    expect(files.length).toBeGreaterThan(70);
    expect(analysis.report.failed).toEqual([]);
    expect(analysis.report.parsed).toBe(files.length);
    expect(analysis.report.skippedEvents).toBe(2);
    expect(analysis.notes).toEqual([
      { file: 'histories/go/workflow_with_bad_unknown_event.json', message: 'event 23 has unknown type "UnknownEvent"; skipped' },
      { file: 'histories/go/workflow_with_unknown_event.json', message: 'event 23 has unknown type "UnknownEvent"; skipped' },
    ]);
  });

  it('gives the same facts as a full JSON.parse of each file', () => {
    for (const file of files) expect(withoutSize(streamedFacts(file)), file).toEqual(withoutSize(referenceFacts(file)));
  });

  it('gives the same facts and sizes with the whole-file reader and the streaming parser, whatever the chunk size', () => {
    for (const file of files) {
      const whole = streamedFacts(file);
      expect(streamedFacts(file, 13), file).toEqual(whole);
      expect(streamedFacts(file, 4096), file).toEqual(whole);
      expect(streamedFacts(file, 64 * 1024), file).toEqual(whole);
    }
  });

  it('estimates history size within 25% of the server count (historySizeBytes) on histories over 5 KB', () => {
    let compared = 0;
    for (const file of files) {
      const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { events: Record<string, { historySizeBytes?: string } | string>[] };
      const server = new Map<number, number>();
      for (const event of raw.events) {
        const attributes = event.workflowTaskStartedEventAttributes as { historySizeBytes?: string } | undefined;
        if (attributes?.historySizeBytes) server.set(Number(event.eventId), Number(attributes.historySizeBytes));
      }
      let running = 0;
      let last: [number, number] | undefined;
      for (const event of streamedFacts(file)) {
        const serverBytes = server.get(event.id);
        if (serverBytes !== undefined) last = [serverBytes, running];
        running += event.sizeBytes;
      }
      if (!last || last[0] < 5000) continue;
      compared++;
      expect(last[1] / last[0], `${path.basename(file)}: estimated ${last[1]} vs server ${last[0]}`).toBeGreaterThan(0.75);
      expect(last[1] / last[0], `${path.basename(file)}: estimated ${last[1]} vs server ${last[0]}`).toBeLessThan(1.25);
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });

  it('reads numeric eventIds and legacy PascalCase types (go/sampleHistory.json)', () => {
    const facts = streamedFacts(path.join(sharedHistories, 'go', 'sampleHistory.json'));
    expect(facts.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(facts[0]).toMatchObject({ type: 'WorkflowExecutionStarted', workflowType: 'testReplayWorkflowFromFile', taskQueue: 'taskQueue1' });
    // eventTime 2020-07-30T00:30:02.971655189Z, kept below the millisecond
    expect(facts[0]!.time).toBeCloseTo(Date.parse('2020-07-30T00:30:02.971Z') + 0.655189, 2);
    const activity = facts.find((e) => e.type === 'ActivityTaskScheduled');
    expect(activity).toMatchObject({ activityType: 'testActivityMultipleArgs', taskQueue: 'taskQueue1' });
  });

  it('labels local-activity markers, headers and child workflow results (TypeScript proto3 files)', () => {
    const otel = streamedFacts(path.join(sharedHistories, 'typescript', 'otel_smorgasbord_1_13_1.json'));
    const markers = otel.filter((e) => e.type === 'MarkerRecorded');
    expect(markers.map((e) => e.name)).toContain('core_local_activity');
    expect(otel.flatMap((e) => e.payloads).some((p) => p.origin.site === 'header' && p.origin.name === '_tracer-data')).toBe(true);
    const children = streamedFacts(path.join(sharedHistories, 'typescript', 'samples-child-workflows.json'));
    const results = children.flatMap((e) => e.payloads.filter((p) => p.origin.site === 'child-workflow' && p.origin.direction === 'result'));
    expect(results.map((p) => p.origin.name)).toEqual(['childWorkflow', 'childWorkflow', 'childWorkflow']);
    expect(results.every((p) => p.encoding === 'json/plain')).toBe(true);
  });

  it('reads protobuf-encoded activity results and attempts (go/gogoproto-payload-workflow.json)', () => {
    const summary = readHistoryFile(path.join(sharedHistories, 'go', 'gogoproto-payload-workflow.json'), 'x');
    expect(summary.ok).toBe(true);
    if (!summary.ok) return;
    expect(summary.summary.encodings['json/protobuf']).toBeGreaterThan(0);
    expect(summary.summary.activities.get('DescribeWorkflowExecution')).toMatchObject({ scheduled: 12, maxAttempt: 3, retried: 6 });
  });
});

describe.skipIf(!hasSharedHistories)('temporal-preflight histories ../shared/histories', () => {
  it('analyzes every shared file from the command line', async () => {
    const { runCli } = await import('../../src/cli/run.js');
    const { fakeIo } = await import('../helpers/fake-io.js');
    const io = fakeIo();
    await runCli(['histories', sharedHistories, '--format', 'json'], io);
    const report = JSON.parse(io.out) as { histories: { files: number; parsed: number; failed: unknown[] } };
    expect(report.histories.failed).toEqual([]);
    expect(report.histories.parsed).toBe(sharedHistoryFiles().length);
    expect(io.exitCode).toBe(0);
  });
});
