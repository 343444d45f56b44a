import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildDashboard, renderDashboard, type DashboardPanel } from '../../src/generate/dashboard.js';
import { allExportedNames, DEFAULT_EXPORT_OPTIONS, type MetricExportOptions } from '../../src/generate/metric-names.js';
import { promtool, promtoolAvailable } from './promtool.js';
import { sampleFacts } from './sample-facts.js';
import { scratchFolderForSuite } from '../helpers/scratch-folder.js';

const SECONDS: MetricExportOptions = { countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true };
const tool = promtoolAvailable();
const dir = scratchFolderForSuite('dashboard');

const panelsOf = (options: MetricExportOptions) => buildDashboard(sampleFacts({ metricExport: options })).panels as DashboardPanel[];

describe('buildDashboard', () => {
  it('has the panels the issue asks for, in order', () => {
    expect(panelsOf(DEFAULT_EXPORT_OPTIONS).map((p) => p.title)).toEqual([
      'Workflow outcomes by type',
      'Activity schedule-to-start p99 by task queue',
      'Workflow-task schedule-to-start p99 by task queue',
      'Worker slots used and available',
      'Activity failures by type',
      'Workflow-task failures by reason',
      'Pollers by task queue',
    ]);
  });

  it('limits outcome and failure panels to the types found in the code', () => {
    const panels = panelsOf(DEFAULT_EXPORT_OPTIONS);
    expect(panels[0]!.targets[1]!.expr).toBe(
      'sum by (workflow_type) (rate(temporal_workflow_failed{namespace=~"$namespace", task_queue=~"$task_queue", workflow_type=~"processOrder|refundOrder"}[$__rate_interval]))',
    );
    expect(panels[4]!.targets[0]!.expr).toContain('activity_type=~"chargeCard|reserveStock"');
  });

  for (const options of [DEFAULT_EXPORT_OPTIONS, SECONDS]) {
    it(`names only metrics a real worker exports (unitSuffix ${options.unitSuffix})`, () => {
      const exported = new Set(allExportedNames(options));
      const text = renderDashboard(sampleFacts({ metricExport: options }));
      const used = new Set(text.match(/temporal_\w+/g));
      expect(used.size).toBeGreaterThan(6);
      for (const name of used) expect(exported.has(name), name).toBe(true);
    });
  }

  it('labels latency panels with the unit the exporter records', () => {
    expect(panelsOf(DEFAULT_EXPORT_OPTIONS)[1]!.fieldConfig.defaults.unit).toBe('ms');
    expect(panelsOf(SECONDS)[1]!.fieldConfig.defaults.unit).toBe('s');
  });

  it('renders the same JSON on every run', () => {
    expect(renderDashboard(sampleFacts())).toBe(renderDashboard(sampleFacts()));
    expect(JSON.parse(renderDashboard(sampleFacts())).uid).toBe('tp-orders-app');
  });
});

describe.skipIf(!tool.available)(`dashboard queries under promtool${tool.available ? '' : ` (skipped: ${tool.reason})`}`, () => {
  it('are valid PromQL once Grafana variables are substituted', () => {
    const rules = panelsOf(DEFAULT_EXPORT_OPTIONS).flatMap((panel) =>
      panel.targets.map((target) => ({
        record: `dashboard:panel_${panel.id}_${target.refId}`,
        expr: target.expr.replaceAll('$__rate_interval', '5m').replaceAll('$namespace', '.*').replaceAll('$task_queue', '.*'),
      })),
    );
    fs.writeFileSync(path.join(dir, 'dashboard.rules.yml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
    const result = promtool(['check', 'rules', 'dashboard.rules.yml'], dir);
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
