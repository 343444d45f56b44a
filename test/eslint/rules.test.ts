// One table per rule: valid and invalid code, the exact position, the check's words, and the
// exact code of each suggestion. The code replaces src/workflows/order.ts of the fixture project
// in memory, so imports of ../activities.js resolve with type information.
import fs from 'node:fs';
import path from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it, vi } from 'vitest';
import plugin, { rules } from '../../src/eslint/index.js';
import { checks } from '../../src/checks/index.js';
import { DOCS_BASE_URL } from '../../src/engine/tool-info.js';
import { fixtureDir, typedRuleTester, workflowFile } from './rule-tester.js';

// The first case builds the fixture's program.
vi.setConfig({ testTimeout: 120_000 });

const filename = workflowFile;
const ruleTester = typedRuleTester();
const wf = "import { proxyActivities } from '@temporalio/workflow';\nimport type * as activities from '../activities.js';\n";
const finding = (line: number, column: number, message: RegExp) => ({ line, column, message });

ruleTester.run('workflow-uses-unavailable-global', rules['workflow-uses-unavailable-global']!, {
  valid: [
    { filename, code: "import { sleep } from '@temporalio/workflow';\nexport async function wf() { await sleep(1000); }" },
    { filename, code: 'const fetch = (url: string) => url.length;\nexport function wf() { return fetch("x"); }' },
    { filename, code: "export function wf() { return process.env.NODE_ENV === 'production'; }" },
  ],
  invalid: [
    {
      filename,
      code: 'export async function wf() {\n  const url = process.env.API_URL;\n  setInterval(() => url, 1000);\n}',
      errors: [
        finding(2, 15, /^Workflow code uses the global 'process' \(process\.env\.API_URL\), which does not exist in the workflow sandbox\..* Fix: Pass configuration in as a workflow argument/),
        finding(3, 3, /^Workflow code uses the global 'setInterval'.* Fix: Loop with `await sleep\(interval\)`/),
      ],
    },
  ],
});

ruleTester.run('workflow-uses-weakref', rules['workflow-uses-weakref']!, {
  valid: [{ filename, code: 'class WeakRef<T> { constructor(readonly value: T) {} }\nexport function wf() { return new WeakRef(1).value; }' }],
  invalid: [
    {
      filename,
      code: 'export function wf() {\n  const ref = new WeakRef({});\n  const registry = new FinalizationRegistry(() => {});\n  return [ref, registry];\n}',
      errors: [finding(2, 19, /^Workflow code uses WeakRef\./), finding(3, 24, /^Workflow code uses FinalizationRegistry\./)],
    },
  ],
});

ruleTester.run('workflow-imports-node-builtin', rules['workflow-imports-node-builtin']!, {
  valid: [{ filename, code: "import type { Buffer } from 'node:buffer';\nexport function wf(b: Buffer) { return b; }" }],
  invalid: [
    {
      filename,
      code: "import { createHash } from 'node:crypto';\nexport function wf() { return createHash('sha1'); }",
      errors: [finding(1, 1, /^Workflow code imports 'node:crypto' \(src\/workflows\/order\.ts → node:crypto\)\./)],
    },
  ],
});

ruleTester.run('workflow-imports-activity-implementation', rules['workflow-imports-activity-implementation']!, {
  valid: [{ filename, code: `${wf}export const { region } = proxyActivities<typeof activities>({ startToCloseTimeout: '1m' });` }],
  invalid: [
    {
      filename,
      // In one file, the module is known as activity code from a proxy's type argument (`check` also knows it from the worker).
      code: `${wf}import { region } from '../activities.js';\nconst { chargeCard } = proxyActivities<typeof activities>({ startToCloseTimeout: '1m' });\nexport async function wf() { return [await region(), await chargeCard(1)]; }`,
      errors: [finding(3, 1, /^Workflow code imports the activity implementation module src\/activities\.ts as a value\./)],
    },
  ],
});

const failureImport = "import { ApplicationFailure } from '@temporalio/workflow';\n";
ruleTester.run('workflow-throws-plain-error', rules['workflow-throws-plain-error']!, {
  valid: [
    { filename, code: `${failureImport}export async function wf() { throw ApplicationFailure.nonRetryable('no lines', 'InvalidOrder'); }` },
    { filename, code: "export async function wf() { try { throw new Error('x'); } catch { return 1; } }" },
    {
      filename,
      code: "class InvalidOrder extends Error {}\nexport async function wf() { throw new InvalidOrder('x'); }",
      options: [{ workflowFailureErrorTypes: ['InvalidOrder'] }],
    },
    // A value whose type cannot be told is an info finding in `check`: not reported unless asked for.
    { filename, code: 'export async function wf(error: unknown) { throw error; }' },
    // A throw decided by the workflow's input alone is an info finding in `check` too.
    { filename, code: "export async function wf(lines: number) {\n  if (lines === 0) throw new Error(`no lines: ${lines}`);\n}" },
  ],
  invalid: [
    {
      filename,
      code: "export async function wf(lines: number) {\n  if (lines > Date.now()) throw new Error(`no lines: ${lines}`);\n}",
      errors: [
        {
          ...finding(2, 27, /^Workflow wf throws a plain Error \(new Error\(`no lines: \$\{lines\}`\)\), not an ApplicationFailure\..* Fix: Throw ApplicationFailure\.nonRetryable\(message, 'InvalidInput'\)/),
          suggestions: [
            {
              desc: "Throw ApplicationFailure.nonRetryable(message, 'InvalidInput') to fail the workflow",
              output:
                "import { ApplicationFailure } from '@temporalio/workflow';\nexport async function wf(lines: number) {\n  if (lines > Date.now()) throw ApplicationFailure.nonRetryable(`no lines: ${lines}`, 'InvalidInput');\n}",
            },
          ],
        },
      ],
    },
    {
      filename,
      code: "import { sleep } from '@temporalio/workflow';\nclass InvalidOrder extends Error {}\nexport async function wf() { await sleep(1); throw new InvalidOrder('x'); }",
      errors: [
        {
          ...finding(3, 46, /throws a plain InvalidOrder/),
          suggestions: [
            {
              desc: "Throw ApplicationFailure.nonRetryable(message, 'InvalidOrder') to fail the workflow",
              output:
                "import { sleep, ApplicationFailure } from '@temporalio/workflow';\nclass InvalidOrder extends Error {}\nexport async function wf() { await sleep(1); throw ApplicationFailure.nonRetryable('x', 'InvalidOrder'); }",
            },
          ],
        },
      ],
    },
    {
      // A string has no message to carry over as is: reported, no suggestion.
      filename,
      code: "export async function wf() { throw 'oops'; }",
      errors: [{ ...finding(1, 30, /throws a value that is not an Error/), suggestions: [] }],
    },
    {
      filename,
      code: 'export async function wf(error: unknown) { throw error; }',
      options: [{ reportInfo: true }],
      errors: [finding(1, 44, /^Workflow wf throws error, whose type the reviewer cannot tell\./)],
    },
  ],
});

const proxy = (options: string) => `${wf}const { chargeCard } = proxyActivities<typeof activities>(${options});\nexport async function wf() { return chargeCard(1); }`;
const goodRetry = "retry: { maximumAttempts: 5, maximumInterval: '1m', nonRetryableErrorTypes: ['CardDeclined'] }";

ruleTester.run('activity-retry-policy-missing', rules['activity-retry-policy-missing']!, {
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', ${goodRetry} }`) }],
  invalid: [{ filename, code: proxy("{ startToCloseTimeout: '1m' }"), errors: [finding(3, 24, /^No retry policy on proxyActivities for chargeCard/)] }],
});

ruleTester.run('activity-retry-backoff-default', rules['activity-retry-backoff-default']!, {
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', ${goodRetry} }`) }],
  invalid: [
    {
      filename,
      code: proxy("{ startToCloseTimeout: '1m', retry: { backoffCoefficient: 1, maximumAttempts: 100, maximumInterval: '1m', nonRetryableErrorTypes: ['CardDeclined'] } }"),
      errors: [finding(3, 24, /^The retry policy of proxyActivities for chargeCard sets backoffCoefficient 1/)],
    },
  ],
});

ruleTester.run('activity-retry-max-interval-unset', rules['activity-retry-max-interval-unset']!, {
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', ${goodRetry} }`) }],
  invalid: [
    {
      filename,
      code: proxy("{ startToCloseTimeout: '1m', retry: { nonRetryableErrorTypes: ['CardDeclined'] } }"),
      errors: [finding(3, 24, /leaves maximumInterval unset/)],
    },
  ],
});

ruleTester.run('activity-retry-attempts-unbounded', rules['activity-retry-attempts-unbounded']!, {
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', ${goodRetry} }`) }],
  invalid: [
    {
      filename,
      code: proxy("{ startToCloseTimeout: '1m', retry: { maximumInterval: '1m', nonRetryableErrorTypes: ['CardDeclined'] } }"),
      errors: [finding(3, 24, /^Retries of proxyActivities for chargeCard never stop/)],
    },
  ],
});

ruleTester.run('activity-retry-policy-invalid', rules['activity-retry-policy-invalid']!, {
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', ${goodRetry} }`) }],
  invalid: [
    {
      filename,
      code: proxy("{ startToCloseTimeout: '1m', retry: { initialInterval: '5s', maximumInterval: '1s', maximumAttempts: 3, nonRetryableErrorTypes: ['CardDeclined'] } }"),
      errors: [finding(3, 24, /maximumInterval cannot be less than its initialInterval/)],
    },
  ],
});

ruleTester.run('activity-non-retryable-errors-uncovered', rules['activity-non-retryable-errors-uncovered']!, {
  valid: [
    { filename, code: proxy(`{ startToCloseTimeout: '1m', ${goodRetry} }`) },
    // A bounded policy makes the finding info, which the rule reports only when asked.
    { filename, code: proxy("{ startToCloseTimeout: '1m', retry: { maximumAttempts: 5 } }") },
  ],
  invalid: [
    {
      filename,
      code: proxy("{ startToCloseTimeout: '1m' }"),
      errors: [
        {
          ...finding(3, 24, /^chargeCard throws CardDeclined, which is not non-retryable for proxyActivities for chargeCard/),
          suggestions: [
            { desc: "Add 'CardDeclined' to retry.nonRetryableErrorTypes", output: proxy("{ startToCloseTimeout: '1m', retry: { nonRetryableErrorTypes: ['CardDeclined'] } }") },
          ],
        },
      ],
    },
    {
      filename,
      code: proxy("{\n  startToCloseTimeout: '1m',\n  retry: { backoffCoefficient: 2, nonRetryableErrorTypes: ['Timeout'] },\n}"),
      errors: [
        {
          ...finding(3, 24, /throws CardDeclined/),
          suggestions: [
            {
              desc: "Add 'CardDeclined' to retry.nonRetryableErrorTypes",
              output: proxy("{\n  startToCloseTimeout: '1m',\n  retry: { backoffCoefficient: 2, nonRetryableErrorTypes: ['Timeout', 'CardDeclined'] },\n}"),
            },
          ],
        },
      ],
    },
  ],
});

ruleTester.run('activity-start-to-close-missing', rules['activity-start-to-close-missing']!, {
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', scheduleToCloseTimeout: '10m', ${goodRetry} }`) }],
  invalid: [{ filename, code: proxy(`{ scheduleToCloseTimeout: '10m', ${goodRetry} }`), errors: [finding(3, 24, /^Only scheduleToCloseTimeout \(10m\) and no startToCloseTimeout/)] }],
});

ruleTester.run('activity-schedule-to-close-missing', rules['activity-schedule-to-close-missing']!, {
  // Without deadlines.activities in a preflight.config.json of ESLint's working directory there is no business deadline to pass.
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', ${goodRetry} }`) }],
  invalid: [],
});

ruleTester.run('activity-schedule-to-start-missing', rules['activity-schedule-to-start-missing']!, {
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', scheduleToStartTimeout: '1m', ${goodRetry} }`) }],
  invalid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', ${goodRetry} }`), errors: [finding(3, 24, /^The project has no alert on temporal_activity_schedule_to_start_latency/)] }],
});

ruleTester.run('activity-timeout-invalid', rules['activity-timeout-invalid']!, {
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '30 seconds', ${goodRetry} }`) }],
  invalid: [
    { filename, code: proxy(`{ startToCloseTimeout: '30 sekonds', ${goodRetry} }`), errors: [finding(3, 24, /^Invalid timeouts on proxyActivities for chargeCard: startToCloseTimeout '30 sekonds'/)] },
    { filename, code: proxy(`{ heartbeatTimeout: '1m', ${goodRetry} }`), errors: [finding(3, 24, /neither startToCloseTimeout nor scheduleToCloseTimeout is set/)] },
  ],
});

ruleTester.run('activity-timeouts-inconsistent', rules['activity-timeouts-inconsistent']!, {
  valid: [{ filename, code: proxy(`{ startToCloseTimeout: '1m', scheduleToCloseTimeout: '10m', ${goodRetry} }`) }],
  invalid: [
    {
      filename,
      code: proxy(`{ startToCloseTimeout: '10m', scheduleToCloseTimeout: '5m', ${goodRetry} }`),
      errors: [finding(3, 24, /startToCloseTimeout '10m' is not shorter than scheduleToCloseTimeout '5m'/)],
    },
  ],
});

const worker = (options: string) =>
  `import { Worker } from '@temporalio/worker';\nimport * as activities from '../activities.js';\nexport async function run() {\n  return Worker.create(${options});\n}`;
const sized = "taskQueue: 'orders', activities, maxConcurrentActivityTaskExecutions: 20, maxConcurrentWorkflowTaskExecutions: 10, shutdownGraceTime: '30s'";

ruleTester.run('worker-concurrency-implicit', rules['worker-concurrency-implicit']!, {
  valid: [{ filename, code: worker(`{ ${sized} }`) }],
  invalid: [
    {
      filename,
      code: worker("{ taskQueue: 'orders', workflowsPath: '/w.js', activities, shutdownGraceTime: '30s' }"),
      errors: [finding(4, 10, /^The worker for task queue 'orders' runs with the SDK's default slot counts/)],
    },
  ],
});

ruleTester.run('worker-concurrency-unbounded', rules['worker-concurrency-unbounded']!, {
  valid: [{ filename, code: worker(`{ ${sized} }`) }],
  invalid: [
    {
      filename,
      code: worker("{ taskQueue: 'orders', activities, maxConcurrentActivityTaskExecutions: Infinity, shutdownGraceTime: '30s' }"),
      errors: [finding(4, 96, /sets maxConcurrentActivityTaskExecutions to unlimited: there is no backpressure/)],
    },
  ],
});

ruleTester.run('worker-ignored-poller-options', rules['worker-ignored-poller-options']!, {
  valid: [{ filename, code: worker(`{ ${sized} }`) }],
  invalid: [
    { filename, code: worker(`{ ${sized}, maxConcurrentActivityTaskPolls: 50 }`), errors: [finding(4, 199, /sets maxConcurrentActivityTaskPolls: 50, which the TypeScript SDK ignores/)] },
  ],
});

ruleTester.run('worker-shutdown-grace-missing', rules['worker-shutdown-grace-missing']!, {
  valid: [{ filename, code: worker(`{ ${sized} }`) }],
  invalid: [
    {
      filename,
      code: worker("{\n    taskQueue: 'orders',\n    activities,\n  }"),
      errors: [
        {
          ...finding(4, 10, /does not set shutdownGraceTime \(default 0\): on shutdown it cancels its running activities at once, and waitForCarrier reacts/),
          suggestions: [{ desc: "Set shutdownGraceTime: '30s'", output: worker("{\n    taskQueue: 'orders',\n    activities,\n    shutdownGraceTime: '30s',\n  }") }],
        },
      ],
    },
    {
      filename,
      code: worker("{ taskQueue: 'orders', activities, shutdownGraceTime: 0 }"),
      errors: [{ ...finding(4, 78, /sets shutdownGraceTime to 0/), suggestions: [{ desc: "Set shutdownGraceTime: '30s'", output: worker("{ taskQueue: 'orders', activities, shutdownGraceTime: '30s' }") }] }],
    },
  ],
});

const searchAttribute = (type: string) =>
  `import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';\nexport const ORDER_ID = defineSearchAttributeKey('OrderId', SearchAttributeType.${type});`;
ruleTester.run('search-attribute-text-for-identifier', rules['search-attribute-text-for-identifier']!, {
  valid: [{ filename, code: searchAttribute('KEYWORD') }],
  invalid: [{ filename, code: searchAttribute('TEXT'), errors: [finding(2, 25, /^Search attribute OrderId holds an identifier but is defined as TEXT/)] }],
});

describe('temporal-preflight/eslint plugin', () => {
  it('describes each rule with the words and docs page of its check', () => {
    for (const [id, rule] of Object.entries(rules)) {
      const check = checks.find((c) => c.id === id)!;
      expect(rule.meta!.docs).toEqual({ description: check.description, recommended: true, url: `${DOCS_BASE_URL}${id}.md` });
    }
  });

  it('lists every rule in docs/eslint.md beside its check id and recommended severity', () => {
    const docs = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/eslint.md'), 'utf8');
    const rows = [...docs.matchAll(/^\| `([a-z-]+)` \| \[([a-z-]+)\]\(checks\/([a-z-]+)\.md\) \| (error|warn) \|/gm)].map((m) => [m[1], m[2], m[3], m[4]]);
    const recommended = Object.assign({}, ...plugin.configs.recommended!.map((config) => config.rules)) as Record<string, string>;
    expect(rows.sort()).toEqual(Object.keys(rules).map((id) => [id, id, id, recommended[`temporal-preflight/${id}`]]).sort());
  });

  it('turns every rule on in the recommended config, at the severity of its check', () => {
    const [workflows, code] = plugin.configs.recommended!;
    expect(workflows!.rules).toEqual({
      'temporal-preflight/workflow-imports-node-builtin': 'error',
      'temporal-preflight/workflow-imports-activity-implementation': 'error',
      'temporal-preflight/workflow-uses-unavailable-global': 'error',
      'temporal-preflight/workflow-uses-weakref': 'error',
      'temporal-preflight/workflow-throws-plain-error': 'error',
    });
    expect(Object.keys(code!.rules!).length).toBe(16);
    expect(code!.rules!['temporal-preflight/activity-retry-policy-invalid']).toBe('error');
    expect(code!.rules!['temporal-preflight/worker-concurrency-implicit']).toBe('warn');
    expect(plugin.meta!.name).toBe('temporal-preflight/eslint');
  });

  it('works from the file alone when the parser gives no type information', () => {
    const linter = new Linter({ cwd: fixtureDir });
    const messages = linter.verify(
      "import { proxyActivities } from '@temporalio/workflow';\nconst TIMEOUT = '30 sekonds';\nconst { a } = proxyActivities({ startToCloseTimeout: TIMEOUT });\nexport async function wf() { await a(); return process.env.X; }",
      [
        {
          plugins: { 'temporal-preflight': plugin },
          rules: { 'temporal-preflight/workflow-uses-unavailable-global': 'error', 'temporal-preflight/activity-timeout-invalid': 'error' },
        },
      ],
      path.join(fixtureDir, 'src/workflows/plain.js'),
    );
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? m.message}`)).toEqual([
      '3:15 temporal-preflight/activity-timeout-invalid',
      '4:48 temporal-preflight/workflow-uses-unavailable-global',
    ]);
  });
});

describe('a preflight.config.json that does not parse', () => {
  it('is one message on the file, naming the config, not a crash of the lint run', () => {
    const dir = path.resolve(fixtureDir, '../eslint-bad-config');
    const linter = new Linter({ cwd: dir });
    const messages = linter.verify(
      'export async function wf() { return process.env.X; }',
      [{ plugins: { 'temporal-preflight': plugin }, rules: { 'temporal-preflight/workflow-uses-unavailable-global': 'error', 'temporal-preflight/workflow-uses-weakref': 'error' } }],
      path.join(dir, 'src/workflows.js'),
    );
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message.replace(dir, '<dir>')}`)).toEqual([
      expect.stringMatching(/^1:1 temporal-preflight\/workflow-uses-unavailable-global temporal-preflight cannot review this file: <dir>\/preflight\.config\.json: /),
    ]);
  });
});
