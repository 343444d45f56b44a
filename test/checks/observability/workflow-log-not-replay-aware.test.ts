// workflow-log-not-replay-aware over test/fixtures/python-workflow-log.
//
// The SDK facts (temporalio 1.35.0): workflow.logger is a LoggerAdapter whose isEnabledFor()
// returns False while the workflow replays history (log_during_replay defaults to False,
// temporalio/workflow/_sandbox.py); a logger that knows nothing of replay writes its lines again on
// every replay: three times for three workflow tasks on a worker without a workflow cache, against
// once for workflow.logger (test/model/python/python-sdk-determinism-facts.test.ts, on a real
// worker). loguru's logger is such a logger (and its sinks run on the workflow thread); so are a
// standard logging.getLogger(...) logger of the project's own, the logging module's functions, and
// print, which the same real-worker test counts three times too.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-workflow-log');
let findings: Finding[];

beforeAll(async () => {
  ({ findings } = await review({ dir: root, config: undefined }));
}, 120_000);

describe('workflow-log-not-replay-aware', () => {
  test('one note per workflow module and per interceptor module that log through loguru, the other calls related', () => {
    const found = findings.filter((f) => f.checkId === 'workflow-log-not-replay-aware');
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'workflow-log-not-replay-aware info app/interceptors.py:9',
      'workflow-log-not-replay-aware info app/reports.py:13',
      'workflow-log-not-replay-aware info app/workflows.py:16',
    ]);
    const [interceptor, , checkout] = found;
    expect(interceptor!.message).toContain('Workflow interceptor AuditInbound (app/interceptors.py) logs through loguru (logger.info("workflow starting"))');
    expect(checkout!.message).toContain('Workflow Checkout (app/workflows.py) logs through loguru (logger.info("checkout {}", order_id)), and 2 more calls that do not know about replay, not workflow.logger');
    expect(checkout!.message).toContain('every replay');
    expect(checkout!.fix).toContain('workflow.logger');
    // logger.bind(...).debug(...), and the helper's call through the project's re-export of loguru's logger.
    expect(checkout!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/workflows.py:18', 'app/helpers.py:5']);
  });

  test('left alone: a call under is_replaying(), workflow.logger, a local named logger, a query handler, an activity', () => {
    const lines = findings.filter((f) => f.checkId === 'workflow-log-not-replay-aware').flatMap((f) => [`${f.file}:${f.line}`, ...(f.related ?? []).map((r) => `${r.file}:${r.line}`)]);
    for (const at of ['app/workflows.py:20', 'app/workflows.py:21', 'app/workflows.py:26', 'app/workflows.py:35', 'app/activities.py:9']) expect(lines).not.toContain(at);
  });

  test('a standard-library logger of the project (logging.getLogger, the logging module) and print: one note for the module\'s two workflows', () => {
    const reports = findings.find((f) => f.checkId === 'workflow-log-not-replay-aware' && f.file === 'app/reports.py');
    expect(reports?.message).toContain(
      'Workflow DailyReport, WeeklyReport (app/reports.py) logs through a standard-library logger of its own (log.info("report for %s", day)), and 2 more calls that do not know about replay',
    );
    expect(reports?.message).toContain("a logging.Logger of your own (or the logging module's functions) and print do not");
    expect(reports?.message).not.toContain('loguru');
    expect(reports?.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'app/reports.py:15 also prints: print("report ready")',
      'app/reports.py:22 also logs through a standard-library logger: logging.warning("week %s", week)',
    ]);
  });

  test('left alone: workflow.logger bound to a module-level name, print under is_replaying(), print in a query, logging and print in an activity', () => {
    const lines = findings.filter((f) => f.checkId === 'workflow-log-not-replay-aware').flatMap((f) => [`${f.file}:${f.line}`, ...(f.related ?? []).map((r) => `${r.file}:${r.line}`)]);
    for (const at of ['app/reports.py:14', 'app/reports.py:24', 'app/reports.py:28', 'app/activities.py:10', 'app/activities.py:11']) expect(lines).not.toContain(at);
  });
});
