import { describe, expect, it } from 'vitest';
import { DOCS_BASE_URL } from '../../src/engine/tool-info.js';
import { renderSarif } from '../../src/report/sarif.js';
import { fixtureChecks, fixtureResult } from './review-result-fixture.js';
import { validateSarif } from './sarif-multitool.js';

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: Record<string, any>[] } };
    originalUriBaseIds: Record<string, unknown>;
    invocations: Record<string, any>[];
    results: Record<string, any>[];
    properties: Record<string, any>;
  }[];
}

function render(result = fixtureResult()): SarifLog {
  return JSON.parse(renderSarif(result, { checks: fixtureChecks })) as SarifLog;
}

describe('sarif reporter', () => {
  it('validates clean with the SARIF Multitool (no errors, no warnings)', () => {
    expect(validateSarif(renderSarif(fixtureResult(), { checks: fixtureChecks }))).toEqual([]);
  });

  it('is caught by the Multitool harness when a required tool property is missing', () => {
    // Guards the test above against a validator that silently reports nothing.
    const log = render();
    const driver = log.runs[0]!.tool.driver as Record<string, unknown>;
    delete driver.version;
    delete driver.semanticVersion;
    const problems = validateSarif(JSON.stringify(log));
    expect(problems.map((p) => `${p.ruleId} ${p.level}`)).toEqual(['SARIF2005 warning']);
  });

  it('describes every check as a rule with docs link and default level', () => {
    const rules = render().runs[0]!.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual([
      'activity-retry-policy-missing',
      'activity-schedule-to-start-missing',
      'history-size-over-budget',
      'no-replay-test',
      'worker-concurrency-implicit',
      'workflow-throws-plain-error',
    ]);
    const plainError = rules.find((r) => r.id === 'workflow-throws-plain-error')!;
    expect(plainError.name).toBe('WorkflowThrowsPlainError');
    expect(plainError.shortDescription).toEqual({ text: 'A workflow throws something that is not an ApplicationFailure.' });
    expect(plainError.fullDescription.text).toContain('Production-readiness area: determinism.');
    expect(plainError.help.text).toContain(`${DOCS_BASE_URL}workflow-throws-plain-error.md`);
    expect(plainError.helpUri).toBe(`${DOCS_BASE_URL}workflow-throws-plain-error.md`);
    expect(rules.map((r) => r.defaultConfiguration.level)).toEqual(['error', 'warning', 'warning', 'warning', 'note', 'error']);
  });

  it('names the tool with its version and information URI', () => {
    const driver = render().runs[0]!.tool.driver;
    expect([driver.name, driver.version, driver.informationUri]).toEqual([
      'temporal-preflight',
      '0.1.0',
      'https://github.com/temporal-preflight/temporal-preflight',
    ]);
  });

  it('places results at relative, percent-encoded paths under %SRCROOT% with regions', () => {
    const results = render().runs[0]!.results;
    const located = results.filter((r) => r.locations);
    expect(located.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation])).toEqual([
      ['workflow-throws-plain-error', 'error', { artifactLocation: { uri: 'src/workflows/order.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 5 } }],
      ['activity-retry-policy-missing', 'error', { artifactLocation: { uri: 'src/workflows/order.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 20, startColumn: 3 } }],
      ['activity-retry-policy-missing', 'error', { artifactLocation: { uri: 'src/workflows/ship%20%5Beu%5D%20%26%20co.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 8, startColumn: 3 } }],
      ['activity-schedule-to-start-missing', 'warning', { artifactLocation: { uri: 'src/workflows/order.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 20, startColumn: 3 } }],
      ['worker-concurrency-implicit', 'note', { artifactLocation: { uri: 'src/worker.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 16 } }],
    ]);
    expect(located[0]!.relatedLocations).toEqual([
      { id: 0, physicalLocation: { artifactLocation: { uri: 'src/worker.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 1 } }, message: { text: 'the worker that runs this workflow.' } },
    ]);
    expect(located[0]!.message.text).toBe(
      'Workflow "placeOrder" throws `new Error("</script><b>x")`: a plain Error fails the workflow task, which retries forever. Fix: Throw ApplicationFailure.create({ message, nonRetryable: true }) instead.',
    );
  });

  it('keeps no absolute path anywhere in the log', () => {
    expect(renderSarif(fixtureResult(), { checks: fixtureChecks })).not.toContain('/home/someone');
  });

  it('reports project-wide findings as results without a location', () => {
    const results = render().runs[0]!.results;
    const projectWide = results.filter((r) => !r.locations).map((r) => r.ruleId);
    expect(projectWide).toEqual(['no-replay-test', 'history-size-over-budget']);
  });

  it('gives each result a fingerprint that survives moved lines and another checkout directory', () => {
    const first = render().runs[0]!.results.map((r) => r.partialFingerprints['temporalPreflight/v2']);
    const moved = fixtureResult();
    moved.root = '/ci/runner/work/shop';
    for (const f of moved.findings) if (f.line) f.line += 7;
    const second = render(moved).runs[0]!.results.map((r) => r.partialFingerprints['temporalPreflight/v2']);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    for (const fp of first) expect(fp).toMatch(/^[0-9a-f]{32}:\d+$/);
  });

  it('tells identical findings in one file apart by their order', () => {
    const result = fixtureResult();
    const twin = { ...result.findings[2]!, line: 40 };
    result.findings.splice(3, 0, twin);
    const fps = render(result).runs[0]!.results.map((r) => r.partialFingerprints['temporalPreflight/v2'] as string);
    expect(fps[3]!.split(':')[0]).toBe(fps[2]!.split(':')[0]);
    expect([fps[2]!.split(':')[1], fps[3]!.split(':')[1]]).toEqual(['1', '2']);
  });

  it('carries the scorecard in the run properties', () => {
    const props = render().runs[0]!.properties;
    expect(props.verdict).toBe('NO-GO');
    expect(props.failOn).toBe('error');
    expect(props.areas.map((a: { area: string; status: string }) => `${a.area}:${a.status}`)).toEqual([
      'determinism:fail', 'retries:fail', 'timeouts:warn', 'payloads:warn', 'capacity:pass', 'observability:not-verified',
    ]);
  });

  it('carries the project, commit, date and inventory in the run properties and the invocation', () => {
    const run = render().runs[0]!;
    expect(run.properties.project).toEqual({
      name: '@acme/shop',
      path: 'services/shop',
      git: { commit: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', dirty: true, remote: 'https://github.com/acme/shop.git' },
      date: '2026-12-03T13:40:05.000Z',
    });
    expect(run.properties.inventory).toEqual({ files: 12, workflows: 2, activities: 5, proxies: 3, workers: 1, taskQueues: 2, starts: 2, histories: 198 });
    expect(run.invocations[0]!.startTimeUtc).toBe('2026-12-03T13:40:05.000Z');
    // a subfolder of the repository: %SRCROOT% is not the repository root, so no provenance claims it is
    expect((run as Record<string, unknown>)['versionControlProvenance']).toBeUndefined();
  });

  it('states the repository and commit as versionControlProvenance when the repository root was reviewed, and validates clean', () => {
    const result = fixtureResult();
    result.project!.path = '.';
    const text = renderSarif(result, { checks: fixtureChecks });
    const run = (JSON.parse(text) as SarifLog).runs[0] as unknown as Record<string, unknown>;
    expect(run['versionControlProvenance']).toEqual([
      { repositoryUri: 'https://github.com/acme/shop.git', revisionId: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', mappedTo: { uriBaseId: '%SRCROOT%' }, properties: { dirty: true } },
    ]);
    expect(validateSarif(text)).toEqual([]);
  });

  it('adds a rule for a check id the registry does not know, so every result resolves', () => {
    const log = JSON.parse(renderSarif(fixtureResult(), { checks: [] })) as SarifLog;
    const run = log.runs[0]!;
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.tool.driver.rules.find((r) => r.id === 'worker-concurrency-implicit')!.defaultConfiguration.level).toBe('note');
  });

  it('lists tool diagnostics as execution notifications', () => {
    const invocation = render().runs[0]!.invocations[0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications).toEqual([
      { descriptor: { id: 'parse-error' }, level: 'warning', message: { text: 'cannot parse: unexpected token.' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'src/broken.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 3 } } }] },
      { descriptor: { id: 'note' }, level: 'note', message: { text: 'no histories given.' } },
    ]);
  });

  it('produces the same bytes on two runs', () => {
    expect(renderSarif(fixtureResult(), { checks: fixtureChecks })).toBe(renderSarif(fixtureResult(), { checks: fixtureChecks }));
  });
});
