import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildAlertRules, renderAlertRules } from '../../src/generate/alert-rules.js';
import { allExportedNames, DEFAULT_EXPORT_OPTIONS, type MetricExportOptions } from '../../src/generate/metric-names.js';
import { promtool, promtoolAvailable } from './promtool.js';
import { sampleFacts } from './sample-facts.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const SECONDS: MetricExportOptions = { countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true };
const tool = promtoolAvailable();
const dir = scratchFolderForSuite('rules');

describe('buildAlertRules', () => {
  it('writes one failure-rate alert per workflow type, with its runbook', () => {
    const rules = buildAlertRules(sampleFacts()).flatMap((g) => g.rules).filter((r) => r.alert === 'TemporalWorkflowFailureRateHigh');
    expect(rules.map((r) => r.annotations.runbook_url)).toEqual(['docs/runbooks/processOrder.md', 'docs/runbooks/refundOrder.md']);
    expect(rules[0]!.expr).toContain('temporal_workflow_failed{workflow_type="processOrder"}');
    expect(rules[0]!.expr).toContain('temporal_workflow_completed{workflow_type="processOrder"}');
    expect(rules[0]!.for).toBe('5m');
  });

  it('writes per-queue schedule-to-start and poller alerts and one alert per activity type', () => {
    const groups = buildAlertRules(sampleFacts());
    expect(groups.map((g) => g.name)).toEqual(['orders-app-temporal-workflows', 'orders-app-temporal-workers', 'orders-app-temporal-activities']);
    const alerts = groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts.filter((a) => a === 'TemporalActivityScheduleToStartHigh')).toHaveLength(2);
    expect(alerts.filter((a) => a === 'TemporalWorkerPollersGone')).toHaveLength(2);
    const activityRules = groups.find((g) => g.name.endsWith('activities'))!.rules;
    expect(activityRules.map((r) => /activity_type="(\w+)"/.exec(r.expr)![1])).toEqual(['chargeCard', 'reserveStock']);
    const regexQueue = groups[1]!.rules.find((r) => r.alert === 'TemporalWorkerSlotsExhausted')!.expr;
    expect(regexQueue).toContain('task_queue=~"orders|payments\\\\.v2"');
  });

  it("names the versioning call of the project's SDK in the non-determinism alert", () => {
    const description = (facts: ReturnType<typeof sampleFacts>) =>
      buildAlertRules(facts)[0]!.rules.find((r) => r.alert === 'TemporalWorkflowNonDeterminism')!.annotations.description;
    const base = sampleFacts();
    const python = sampleFacts({ workflows: base.workflows.map((w) => ({ ...w, language: 'python' as const })) });
    const mixed = sampleFacts({ workflows: [{ ...base.workflows[0]!, language: 'python' as const }, ...base.workflows.slice(1)] });
    expect(description(base)).toContain('Those executions are stuck until the code is fixed with patched() or rolled back.');
    expect(description(python)).toContain('Those executions are stuck until the code is fixed with workflow.patched() or rolled back.');
    expect(description(mixed)).toContain('fixed with patched() (TypeScript) or workflow.patched() (Python) or rolled back.');
  });

  it('uses the schedule-to-start target in the unit the exporter records', () => {
    const threshold = (options: MetricExportOptions) =>
      buildAlertRules(sampleFacts({ metricExport: options }))[1]!.rules.find((r) => r.alert === 'TemporalActivityScheduleToStartHigh')!.expr.split(' > ')[1];
    expect(threshold(DEFAULT_EXPORT_OPTIONS)).toBe('500');
    expect(threshold(SECONDS)).toBe('0.5');
  });

  for (const options of [DEFAULT_EXPORT_OPTIONS, SECONDS]) {
    it(`names only metrics a real worker exports (countersTotalSuffix ${options.countersTotalSuffix})`, () => {
      const exported = new Set(allExportedNames(options));
      const used = new Set(buildAlertRules(sampleFacts({ metricExport: options })).flatMap((g) => g.rules.flatMap((r) => r.expr.match(/temporal_\w+/g) ?? [])));
      expect(used.size).toBeGreaterThan(5);
      for (const name of used) expect(exported.has(name), name).toBe(true);
    });
  }

  it('writes nothing for workflows and queues when the project has none', () => {
    const groups = buildAlertRules(sampleFacts({ workflows: [], taskQueues: [] }));
    expect(groups.flatMap((g) => g.rules.map((r) => r.alert))).toEqual(['TemporalWorkflowNonDeterminism', 'TemporalWorkflowTaskFailing', 'TemporalWorkerSlotsExhausted']);
  });
});

describe.skipIf(!tool.available)(`generated rules under promtool${tool.available ? '' : ` (skipped: ${tool.reason})`}`, () => {
  for (const [label, options] of [['default', DEFAULT_EXPORT_OPTIONS], ['seconds', SECONDS]] as const) {
    it(`pass promtool check rules (${label} exporter options)`, () => {
      const file = path.join(dir, `${label}.rules.yml`);
      fs.writeFileSync(file, renderAlertRules(sampleFacts({ metricExport: options })));
      const result = promtool(['check', 'rules', file], dir);
      expect(result.output).toContain('SUCCESS: 12 rules found');
      expect(result.status).toBe(0);
    });
  }

  it('fire on the situations they describe, and stay quiet otherwise (promtool test rules)', () => {
    fs.writeFileSync(path.join(dir, 'app.rules.yml'), renderAlertRules(sampleFacts()));
    fs.writeFileSync(path.join(dir, 'app.test.yml'), fs.readFileSync(path.resolve(import.meta.dirname, 'alert-rules.promtool-test.yml'), 'utf8'));
    const result = promtool(['test', 'rules', 'app.test.yml'], dir);
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});

describe('renderAlertRules', () => {
  it('is YAML with a groups list and no run-dependent content', () => {
    const text = renderAlertRules(sampleFacts());
    expect(text).toBe(renderAlertRules(sampleFacts()));
    expect((parse(text) as { groups: unknown[] }).groups).toHaveLength(3);
  });
});
