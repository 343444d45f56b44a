// Generates realistic workflow histories for the benchmarks: order, report, polling and signal
// workflows with payloads from a few bytes to ~1 MiB, mostly proto3 JSON as `temporal workflow
// show -o json` writes it, some legacy PascalCase and some compact files. Seeded: the same size
// and seed give the same files.
//
//   node bench/histories/generate.mjs <out-dir> [--size 1GB] [--seed 1]

import fs from 'node:fs';
import path from 'node:path';

// the project's seeded PRNG (the benchmark runs after `npm run build`)
import { seededRandom as prng } from '../../dist/simulate/seeded-random.js';

export { prng };

const WORDS = 'order line sku quantity price customer address street city postcode carrier parcel weight invoice total tax discount status shipped pending reserved warehouse'.split(' ');

/** A pool of base64 JSON documents to slice payloads from (generating 1 GB of random JSON is slow). */
function payloadPool(random) {
  const parts = [];
  let size = 0;
  while (size < 2 * 1024 * 1024) {
    const item = { id: Math.floor(random() * 1e9), name: WORDS[Math.floor(random() * WORDS.length)], qty: Math.floor(random() * 100), price: Math.round(random() * 10000) / 100, note: WORDS.slice(0, 1 + Math.floor(random() * 8)).join(' ') };
    const text = JSON.stringify(item);
    parts.push(text);
    size += text.length + 1;
  }
  return Buffer.from(`[${parts.join(',')}]`);
}

export function generateHistories(outDir, { totalBytes, seed = 1 }) {
  const random = prng(seed);
  const pool = payloadPool(random);
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const payload = (bytes) => {
    const start = int(0, pool.length - bytes - 1);
    return { metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: pool.subarray(start, start + bytes).toString('base64') };
  };
  fs.mkdirSync(outDir, { recursive: true });
  let written = 0;
  let count = 0;
  while (written < totalBytes) {
    const kind = random();
    const legacy = random() < 0.1;
    const compact = !legacy && random() < 0.05;
    const history = kind < 0.5 ? orderHistory() : kind < 0.65 ? reportHistory() : kind < 0.85 ? pollHistory() : signalHistory();
    const text = compact ? JSON.stringify(history) : JSON.stringify(legacy ? toLegacy(history) : history, null, legacy ? 1 : 2);
    const file = path.join(outDir, String(Math.floor(count / 1000)).padStart(3, '0'), `history-${String(count).padStart(6, '0')}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    written += Buffer.byteLength(text);
    count++;
  }
  return { files: count, bytes: written };

  function builder(workflowType, taskQueue, inputBytes) {
    const events = [];
    let clock = Date.parse('2026-03-01T00:00:00Z') + int(0, 86_400_000);
    const add = (type, attributes, advance = int(1, 20)) => {
      clock += advance;
      const id = events.length + 1;
      const key = `${type.toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase())}EventAttributes`;
      events.push({ eventId: String(id), eventTime: new Date(clock).toISOString().replace('Z', `${int(100, 999)}Z`), eventType: `EVENT_TYPE_${type}`, taskId: String(1_048_576 + id * 3), [key]: attributes });
      return id;
    };
    const tq = { name: taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' };
    add('WORKFLOW_EXECUTION_STARTED', {
      workflowType: { name: workflowType },
      taskQueue: tq,
      input: { payloads: [payload(inputBytes)] },
      workflowExecutionTimeout: '0s',
      workflowRunTimeout: '0s',
      workflowTaskTimeout: '10s',
      originalExecutionRunId: '0195a3c0-7d1e-7f00-8000-000000000001',
      identity: '4242@worker-1',
      firstExecutionRunId: '0195a3c0-7d1e-7f00-8000-000000000001',
      attempt: 1,
      firstWorkflowTaskBackoff: '0s',
      header: {},
      workflowId: `wf-${int(1, 1e9)}`,
    });
    let completed = 0;
    const workflowTask = () => {
      const s = add('WORKFLOW_TASK_SCHEDULED', { taskQueue: tq, startToCloseTimeout: '10s', attempt: 1 });
      const t = add('WORKFLOW_TASK_STARTED', { scheduledEventId: String(s), identity: '4242@worker-1', requestId: '9f1c2b7e-1111-4222-8333-444455556666', historySizeBytes: String(events.length * 300) });
      completed = add('WORKFLOW_TASK_COMPLETED', { scheduledEventId: String(s), startedEventId: String(t), identity: '4242@worker-1', workerVersion: {}, sdkMetadata: { langUsedFlags: [1, 2] }, meteringMetadata: {} });
    };
    const activity = (type, inBytes, outBytes, queue = taskQueue) => {
      const s = add('ACTIVITY_TASK_SCHEDULED', {
        activityId: String(events.length + 1),
        activityType: { name: type },
        taskQueue: { name: queue, kind: 'TASK_QUEUE_KIND_NORMAL' },
        header: {},
        input: { payloads: [payload(inBytes)] },
        scheduleToCloseTimeout: '0s',
        scheduleToStartTimeout: '0s',
        startToCloseTimeout: '30s',
        heartbeatTimeout: '0s',
        workflowTaskCompletedEventId: String(completed),
        retryPolicy: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '100s' },
      });
      const attempt = random() < 0.05 ? int(2, 5) : 1;
      const t = add('ACTIVITY_TASK_STARTED', { scheduledEventId: String(s), identity: '4242@worker-1', requestId: 'a1b2c3d4-0000-4000-8000-000000000000', attempt }, int(2, random() < 0.02 ? 3000 : 80));
      if (random() < 0.03) {
        add('ACTIVITY_TASK_FAILED', { failure: { message: 'card declined', source: 'TypeScriptSDK', stackTrace: 'Error: card declined\n    at charge (activities.ts:12:11)', applicationFailureInfo: { type: 'PaymentDeclined', nonRetryable: true } }, scheduledEventId: String(s), startedEventId: String(t), identity: '4242@worker-1', retryState: 'RETRY_STATE_NON_RETRYABLE_FAILURE' });
      } else {
        add('ACTIVITY_TASK_COMPLETED', { result: { payloads: [payload(outBytes)] }, scheduledEventId: String(s), startedEventId: String(t), identity: '4242@worker-1' });
      }
      workflowTask();
    };
    const finish = (resultBytes) => {
      add('WORKFLOW_EXECUTION_COMPLETED', { result: { payloads: [payload(resultBytes)] }, workflowTaskCompletedEventId: String(completed) });
      return { events };
    };
    workflowTask();
    return { add, activity, workflowTask, finish, get completed() { return completed; } };
  }

  function orderHistory() {
    const h = builder('orderWorkflow', 'orders', int(100, 3000));
    const n = int(8, 15);
    for (let i = 0; i < n; i++) h.activity(WORDS[i % WORDS.length] + 'Activity', int(100, 3000), int(100, 5000));
    return h.finish(int(50, 500));
  }

  function reportHistory() {
    const h = builder('reportWorkflow', 'reports', int(100, 1000));
    const n = int(3, 6);
    for (let i = 0; i < n; i++) h.activity('renderSection', int(200, 2000), random() < 0.03 ? int(600_000, 900_000) : int(5_000, 120_000), 'reports-render');
    return h.finish(int(1000, 20_000));
  }

  function pollHistory() {
    const h = builder('pollWorkflow', 'polling', int(50, 200));
    const n = int(20, 200);
    for (let i = 0; i < n; i++) {
      const started = h.add('TIMER_STARTED', { timerId: String(i + 1), startToFireTimeout: '60s', workflowTaskCompletedEventId: String(h.completed) });
      h.add('TIMER_FIRED', { timerId: String(i + 1), startedEventId: String(started) }, 60_000);
      h.workflowTask();
      h.activity('checkStatus', int(50, 200), int(50, 300));
    }
    return h.finish(int(20, 100));
  }

  function signalHistory() {
    const h = builder('cartWorkflow', 'carts', int(100, 500));
    const n = int(10, 100);
    for (let i = 0; i < n; i++) {
      h.add('WORKFLOW_EXECUTION_SIGNALED', { signalName: 'addItem', input: { payloads: [payload(int(200, 2000))] }, identity: 'web@frontend', header: {} });
      h.workflowTask();
    }
    h.activity('checkout', int(1000, 20_000), int(100, 1000));
    return h.finish(int(100, 1000));
  }
}

/** The legacy dialect: PascalCase event types and "Normal" task queue kinds (Go SDK test files). */
function toLegacy(history) {
  const text = JSON.stringify(history)
    .replace(/"EVENT_TYPE_([A-Z_]+)"/g, (_, name) => `"${name.toLowerCase().replace(/(^|_)([a-z])/g, (__, ___, c) => c.toUpperCase())}"`)
    .replace(/"TASK_QUEUE_KIND_NORMAL"/g, '"Normal"');
  return JSON.parse(text);
}

export function parseSizeArg(value) {
  const match = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB)?$/i.exec(value ?? '');
  if (!match) throw new Error(`cannot read size ${value}; use e.g. 64MB or 1GB`);
  const factor = { KB: 1e3, MB: 1e6, GB: 1e9 }[(match[2] ?? '').toUpperCase()] ?? 1;
  return Math.round(Number(match[1]) * factor);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node bench/histories/generate.mjs <out-dir> [--size 1GB] [--seed 1]');
    process.exit(2);
  }
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const result = generateHistories(out, { totalBytes: parseSizeArg(arg('--size', '1GB')), seed: Number(arg('--seed', '1')) });
  console.log(`${result.files} histories, ${(result.bytes / 1e6).toFixed(1)} MB in ${out}`);
}
