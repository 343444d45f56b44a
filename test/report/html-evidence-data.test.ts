import { describe, expect, it } from 'vitest';
import { readCapacityCurve, readHistorySizes, readRetryScenarios } from '../../src/report/html/evidence-data.js';
import { escapeHtml, html } from '../../src/report/html/escape.js';
import { fixtureResult } from './review-result-fixture.js';

const withData = (patch: { histories?: unknown; extras?: Record<string, unknown> }) => ({ ...fixtureResult(), ...patch });

describe('html evidence readers', () => {
  it('reads history sizes per workflow type with the budget named by the finding', () => {
    const histories = { workflowTypes: [{ workflowType: 'a', executions: 3, historyBytes: { mean: 8, p50: 7, p95: 10, max: 20 } }] };
    // The fixture's history-size-over-budget finding names a budget of 51,200 bytes.
    expect(readHistorySizes(withData({ histories }))).toEqual([{ workflowType: 'a', executions: 3, bytes: 10, statistic: 'p95', maxBytes: 20, budgetBytes: 51_200 }]);
    const withoutFinding = { ...withData({ histories }), findings: [] };
    expect(readHistorySizes(withoutFinding)![0]!.budgetBytes).toBe(50_000);
  });

  it('leaves sections out when their data is absent or malformed', () => {
    expect(readHistorySizes(fixtureResult())).toBeUndefined();
    expect(readHistorySizes(withData({ histories: { workflowTypes: [{ workflowType: 'x' }, 'junk', { workflowType: 'y', historyBytes: {} }] } }))).toBeUndefined();
    expect(readRetryScenarios(withData({ extras: { simulation: { scenarios: [{ name: 'a', series: [['0', 1]] }] } } }))).toBeUndefined();
    expect(readCapacityCurve(withData({ extras: { capacity: { table: [{ slots: 'ten' }] } } }))).toBeUndefined();
  });

  it('keeps only well-formed points of a retry series', () => {
    const scenarios = readRetryScenarios(withData({ extras: { simulation: { scenarios: [{ name: 'a', series: [[0, 5], [1, null], [2, 3]] }, { series: [] }] } } }));
    expect(scenarios).toEqual([{ name: 'a', series: [[0, 5], [2, 3]] }]);
  });

  it('reads an unstable capacity row (p99 Infinity, serialized as null) as unbounded and sorts by slots', () => {
    const curve = readCapacityCurve(withData({ extras: { capacity: { targetMs: 500, slots: 3, table: [{ slots: 3, utilization: 0.5, p99: 0.2 }, { slots: 2, utilization: 1.2, p99: null }] } } }));
    expect(curve).toEqual({ targetMs: 500, recommendedSlots: 3, rows: [{ slots: 2, utilization: 1.2, p99: undefined }, { slots: 3, utilization: 0.5, p99: 0.2 }] });
  });
});

describe('html escaping', () => {
  it('escapes interpolated values and keeps nested markup', () => {
    const name = '<img src=x onerror="alert(1)">';
    expect(html`<td title="${name}">${html`<b>${name}</b>`}</td>`.text).toBe(
      '<td title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"><b>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</b></td>',
    );
    expect(escapeHtml("</script>'&")).toBe('&lt;/script&gt;&#39;&amp;');
  });
});
