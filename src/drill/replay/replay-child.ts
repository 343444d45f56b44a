// A replay worker process: replays its share of histories against the prebuilt bundle and
// reports each result to the coordinator. It runs in its own process so replays use every core
// and so a perturbed environment (time zone, locale, clock offset) applies to it alone.

import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { bundleExports } from './bundle-exports.js';
import { summarizeHistory as summarize, type HistorySummary } from './history-summary.js';
import type { ChildMessage, ReplayInit, ReplayItem } from './protocol.js';

const offset = Number(process.env['PREFLIGHT_CLOCK_OFFSET_MS'] ?? 0);
if (offset) shiftClock(offset);

// The coordinator closes the channel when it has no more work for this process, and the channel
// closes by itself when the coordinator dies: either way nothing more can arrive, so stop (the
// SDK's native runtime would otherwise keep the process alive).
process.once('disconnect', () => process.exit(process.exitCode ?? 0));

// Load the SDK at once: a child spawned while the coordinator bundles is ready when work arrives.
const sdk = loadSdk();
void sdk.catch(() => {});

process.once('message', (message: ReplayInit) => {
  run(message).then(
    () => send({ type: 'done' }),
    (error: unknown) => send({ type: 'fatal', message: error instanceof Error ? error.message.split('\n')[0]! : String(error) }),
  );
});

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function loadSdk() {
  const worker = await import('@temporalio/worker');
  const { historyFromJSON } = await import('@temporalio/common/lib/proto-utils.js');
  worker.Runtime.install({
    // the SDK traps SIGTERM/SIGINT to drain workers; a replay process has none to drain, so let
    // the signal end it
    shutdownSignals: [],
    logger: new worker.DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: worker.makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
  return { Worker: worker.Worker, historyFromJSON };
}

async function run(init: ReplayInit): Promise<void> {
  const { Worker, historyFromJSON } = await sdk;
  const payloadCodecs = init.payloadCodecModule ? await loadCodecs(init.payloadCodecModule) : undefined;

  const exported = bundleExports(init.codePath);
  const pending: { item: ReplayItem; summary: HistorySummary }[] = [];
  async function* histories() {
    for (const item of init.items) {
      let raw: unknown;
      try {
        raw = JSON.parse(item.json ?? fs.readFileSync(item.file!, 'utf8'));
        // a GetWorkflowExecutionHistory response wraps the history; the history reader accepts it too
        if (raw !== null && typeof raw === 'object' && !('events' in raw) && 'history' in raw) raw = (raw as { history: unknown }).history;
      } catch (error) {
        send(failed(item, 'ReadError', `cannot read the history: ${firstLine(error)}`));
        continue;
      }
      let history;
      try {
        history = historyFromJSON(raw);
      } catch (error) {
        send(failed(item, 'ParseError', `not a valid history: ${firstLine(error)}`));
        continue;
      }
      const summary = summarize(raw);
      if (exported && summary.workflowType && !exported.has(summary.workflowType)) {
        send({
          type: 'result',
          index: item.index,
          workflowId: summary.workflowId || item.workflowId,
          runId: summary.runId,
          workflowType: summary.workflowType,
          error: { name: 'WorkflowTypeNotExported', message: `the workflows bundle does not export workflow type ${JSON.stringify(summary.workflowType)}` },
          events: summary.events,
        });
        continue;
      }
      pending.push({ item, summary });
      // the recorded workflow id matters: workflow code may read workflowInfo().workflowId
      yield { workflowId: summary.workflowId || item.workflowId, history };
    }
  }

  const options = {
    workflowBundle: { codePath: init.codePath },
    ...(init.interceptorModules.length ? { interceptors: { workflowModules: init.interceptorModules } } : {}),
    ...(payloadCodecs ? { dataConverter: { payloadCodecs } } : {}),
  };
  for await (const result of Worker.runReplayHistories(options, histories())) {
    // runReplayHistories replays one history at a time and yields in input order
    const entry = pending.shift();
    if (!entry) continue;
    send({
      type: 'result',
      index: entry.item.index,
      workflowId: result.workflowId,
      runId: result.runId || entry.summary.runId,
      workflowType: entry.summary.workflowType,
      ...(result.error ? { error: { name: result.error.name, message: result.error.message } } : {}),
      closed: entry.summary.closed,
      events: entry.summary.events,
    });
  }
}

function failed(item: ReplayItem, name: string, message: string): ChildMessage {
  return { type: 'result', index: item.index, workflowId: item.workflowId, runId: '', workflowType: '', error: { name, message }, events: [] };
}

async function loadCodecs(module: string) {
  const loaded = (await import(pathToFileURL(module).href)) as { payloadCodecs?: unknown[]; payloadCodec?: unknown; default?: { payloadCodecs?: unknown[] } };
  const codecs = loaded.payloadCodecs ?? loaded.default?.payloadCodecs ?? (loaded.payloadCodec ? [loaded.payloadCodec] : undefined);
  return codecs as never;
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0]!;
}

/** Shifts this process's clock (outside the workflow sandbox, whose clock comes from history). */
function shiftClock(ms: number): void {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(realNow() + ms);
      else super(...(args as [string]));
    }
    static override now(): number {
      return realNow() + ms;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
