// activity-not-registered on Python: a workflow on a worker schedules an activity type that no
// worker's activities=[...] provides. The worker's lists come from wiring functions (a local set
// from one, a call in place) that import their classes locally and return a bound method of an
// instance assigned to a name and one of an instance made in place (another class has a method of
// the same name); types are named by @activity.defn(name=...) or the function name, also through a
// module alias (`ship = ship_order`) and a string constant.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { review } from '../../../src/review.js';
import { buildPythonModel } from '../../../src/model/python/build-python-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('activity-not-registered on Python', () => {
  it('reports the defn name left out of the worker (error: a client starts the workflow) and the one of a workflow nothing starts (warning)', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-activity-not-registered'), config: undefined });
    const found = findings.filter((f) => f.checkId === 'activity-not-registered');
    // reserve_stock, BillingActivities.charge and "refund-payment" are registered; "print_label" runs on a queue no worker here polls;
    // the call through the local `step` names no type the review can read. MonthlyReport names its activity by a constant.
    expect(found.map(where)).toEqual([
      { checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 19 },
      { checkId: 'activity-not-registered', severity: 'warning', file: 'app/workflows.py', line: 31 },
    ]);
    expect(found[0]!.message).toContain("Workflow OrderWorkflow schedules activity 'ship-order', but no worker's activities provide it (the workers polling its task queue: app/worker.py:24");
    expect(found[0]!.message).toContain('"Activity function ship-order for workflow ... is not registered on this worker"');
    expect(found[0]!.message).not.toContain('Nothing in this code base starts');
    expect(found[1]!.message).toContain("Workflow MonthlyReport schedules activity 'build_report'");
    expect(found[1]!.message).toContain('Nothing in this code base starts MonthlyReport');
  });

  it('stays silent, with a note naming the worker, when a worker takes its activity list from a function that returns one of two lists', { timeout: 120_000 }, async () => {
    const { findings, diagnostics } = await review({ dir: path.join(fixturesDir, 'python-activity-not-registered-unknown'), config: undefined });
    expect(findings.filter((f) => f.checkId === 'activity-not-registered')).toEqual([]);
    expect(diagnostics.filter((d) => d.message.includes('(activity-not-registered)')).map((d) => `${d.kind} ${d.file}:${d.line}`)).toEqual(['note app/worker.py:10']);
  });
  it('counts only the deployed worker, and says when its module cannot load', { timeout: 120_000 }, async () => {
    // The Dockerfile runs app.worker, whose activities lack record_status and make_plan; app/worker_dev.py
    // registers them but nothing deploys it. app/worker.py imports ArchiveWorkflow, which app/workflows.py
    // does not define: the module cannot load today, and once it does the two registrations are missing.
    // PlanWorkflow calls record_status twice (lines 13 and 16): one missing registration, one finding.
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-activity-not-registered-deployed'), config: undefined });
    const found = findings.filter((f) => f.checkId === 'activity-not-registered');
    expect(found.map(where)).toEqual([
      { checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 13 },
      { checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 14 },
    ]);
    expect(found[0]!.message).toBe(
      "Workflow PlanWorkflow schedules activity 'record_status' (2 calls: app/workflows.py lines 13 and 16), but no worker's activities provide it (the workers polling its task queue: app/worker.py:12, whose activity sets were all read; " +
        'app/worker_dev.py:12 registers it, but app/worker_dev.py is not started by any deployment file or package script (the deployed worker is app/worker.py)). ' +
        'Today worker.py cannot even load: `from app.workflows import ArchiveWorkflow` (line 7) raises ImportError (see project-import-name-missing), so that worker does not start at all. ' +
        'Once it loads, the registration is still missing: every attempt fails with "Activity function record_status for workflow ... is not registered on this worker" and is retried by the default retry policy, without end, while the workflow waits.',
    );
    expect(found[0]!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'app/workflows.py:16 another call of the same activity',
      'app/worker.py:12 worker whose activities lack it',
      'app/worker_dev.py:12 worker that registers it, which nothing deploys',
    ]);
    expect(found[0]!.data).toMatchObject({ activityType: 'record_status', calls: 2 });
    expect(found[1]!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual(['app/worker.py:12 worker whose activities lack it', 'app/worker_dev.py:12 worker that registers it, which nothing deploys']);
    expect(findings.filter((f) => f.checkId === 'project-import-name-missing').map(where)).toEqual([{ checkId: 'project-import-name-missing', severity: 'error', file: 'app/worker.py', line: 7 }]);
  });

  it('reads the list each arm of an if/elif/else assigns: a type no arm lists is reported, naming the arms', { timeout: 120_000 }, async () => {
    // CrawlWorkflow calls store (type store_page), which no arm of app/worker.py lists; fetch_page is
    // in two arms (registered once per mode, not a duplicate), build_report by an instance made in place
    // and by one assigned to a name. The arm for mode "off" raises: the lists are still read.
    const { findings, diagnostics } = await review({ dir: path.join(fixturesDir, 'python-activity-not-registered-branches'), config: undefined });
    const found = findings.filter((f) => f.checkId === 'activity-not-registered');
    expect(found.map(where)).toEqual([{ checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 15 }]);
    expect(found[0]!.message).toContain("schedules activity 'store_page'");
    expect(found[0]!.message).toContain(
      'app/worker.py:22 registers the `activities` list of whichever arm of the if/else at line 10 runs (`if mode == "fetch"` (line 12), `elif mode == "parse"` (line 15), `else` (line 21)), and no arm lists it',
    );
    expect(findings.filter((f) => f.checkId === 'worker-activity-overwritten' || f.checkId === 'workflow-not-registered')).toEqual([]);
    expect(diagnostics.filter((d) => d.message.includes('(activity-not-registered)'))).toEqual([]);
  });

  it('does not read the lists of an if/elif without else (the name may be unbound): silent, with the note', { timeout: 120_000 }, async () => {
    const { findings, diagnostics } = await review({ dir: path.join(fixturesDir, 'python-activity-not-registered-branches-open'), config: undefined });
    expect(findings.filter((f) => f.checkId === 'activity-not-registered')).toEqual([]);
    expect(diagnostics.filter((d) => d.message.includes('(activity-not-registered)')).map((d) => `${d.kind} ${d.file}:${d.line}`)).toEqual(['note app/worker.py:16']);
  });

  it('does not read the arms\' lists when the function changes the list afterwards (activities.append): silent, with the note', { timeout: 120_000 }, async () => {
    const { findings, diagnostics } = await review({ dir: path.join(fixturesDir, 'python-activity-not-registered-branches-appended'), config: undefined });
    expect(findings.filter((f) => f.checkId === 'activity-not-registered')).toEqual([]);
    expect(diagnostics.filter((d) => d.message.includes('(activity-not-registered)')).map((d) => `${d.kind} ${d.file}:${d.line}`)).toEqual(['note app/worker.py:17']);
  });
  it('reads the workflow types a start helper takes as a parameter from its callers: keyword, positional and default', { timeout: 120_000 }, async () => {
    // app/client.py's start_workflow(client, workflow_type="weekly_digest", ...) calls client.start_workflow(workflow_type, ...);
    // app/jobs.py calls it with workflow_type="nightly_digest", positionally with "nightly_digest", and
    // without it (the default). Both types are started: every run fails, an error. CachePurge is started by nothing.
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-start-helper-types'), config: undefined });
    const { model } = await buildPythonModel({ root: path.join(fixturesDir, 'python-start-helper-types') });
    expect(model!.starts.map((start) => [start.workflowType, start.workflowTypeCandidates])).toEqual([[null, ['nightly_digest', 'weekly_digest']]]);
    const found = findings.filter((f) => f.checkId === 'activity-not-registered');
    expect(found.map(where)).toEqual([
      { checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 13 },
      { checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 20 },
      { checkId: 'activity-not-registered', severity: 'warning', file: 'app/workflows.py', line: 27 },
    ]);
    expect(found[0]!.message).not.toContain('Nothing in this code base starts');
    expect(found[1]!.message).not.toContain('Nothing in this code base starts');
    expect(found[2]!.message).toContain('Nothing in this code base starts cache_purge: this happens when something outside it');
  });

  it('says a start helper\'s type could not be resolved, and keeps the error, when its caller passes a value the review cannot read', { timeout: 120_000 }, async () => {
    const { findings } = await review({ dir: path.join(fixturesDir, 'python-start-helper-unresolved'), config: undefined });
    const { model } = await buildPythonModel({ root: path.join(fixturesDir, 'python-start-helper-unresolved') });
    expect(model!.starts.map((start) => [start.workflowType, start.workflowTypeCandidates])).toEqual([[null, undefined]]);
    const found = findings.filter((f) => f.checkId === 'activity-not-registered');
    expect(found.map(where)).toEqual([
      { checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 13 },
      { checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 20 },
      { checkId: 'activity-not-registered', severity: 'error', file: 'app/workflows.py', line: 27 },
    ]);
    for (const finding of found) {
      expect(finding.message).not.toContain('Nothing in this code base starts');
      expect(finding.message).toContain('The review could not resolve the workflow type the start at app/client.py:6 passes; it may start');
    }
  });
});
