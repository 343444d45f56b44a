import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/engine/types.js';
import { MARKDOWN_MAX_LENGTH, renderMarkdown } from '../../src/report/markdown.js';
import { fixtureResult } from './review-result-fixture.js';

const DOCS = 'https://github.com/temporal-preflight/temporal-preflight/blob/main/docs/checks/';

describe('markdown reporter', () => {
  it('starts with the verdict, what was reviewed and the scorecard as a table', () => {
    const lines = renderMarkdown(fixtureResult()).split('\n');
    expect(lines.slice(0, 16)).toEqual([
      '## Temporal production readiness: ❌ NO-GO',
      '',
      '2 of 6 areas fail · 1 not verified · 3 errors, 3 warnings, 1 info · temporal-preflight 0.1.0',
      '',
      '**Reviewed:** &#64;acme/shop · services/shop · commit 1a2b3c4d5e6f \\(uncommitted changes\\) · 2026-12-03 13:40 UTC',
      '',
      '**Inventory:** 12 files, 2 workflows, 5 activities, 3 activity proxies, 1 worker, 2 task queues, 2 workflow starts, 198 histories',
      '',
      '| Area | Status | Errors | Warnings | Info | Evidence |',
      '| --- | --- | ---: | ---: | ---: | --- |',
      '| determinism | ❌ FAIL | 1 | 1 | 0 | static |',
      '| retries | ❌ FAIL | 2 | 0 | 0 | static |',
      '| timeouts | ⚠️ WARN | 0 | 1 | 0 | static |',
      '| payloads | ⚠️ WARN | 0 | 1 | 0 | static + history |',
      '| capacity | ✅ PASS | 0 | 0 | 1 | static |',
      '| observability | ➖ NOT VERIFIED | 0 | 0 | 0 | none (no worker entry point found) |',
    ]);
  });

  it('says GO when no area fails', () => {
    const result = fixtureResult();
    result.verdict = 'GO';
    result.findings = [];
    result.diagnostics = [];
    result.areas = result.areas.map((a) => ({ ...a, status: 'pass', errors: 0, warnings: 0, infos: 0 }));
    delete result.project;
    delete result.inventory;
    const text = renderMarkdown(result);
    expect(text.split('\n').slice(0, 3)).toEqual(['## Temporal production readiness: ✅ GO', '', 'no area fails · 0 errors, 0 warnings, 0 info · temporal-preflight 0.1.0']);
    expect(text).not.toContain('<details>');
  });

  it('lists the top findings by severity with file:line links relative to the reviewed directory', () => {
    const text = renderMarkdown(fixtureResult(), { topFindings: 4 });
    const table = text.split('### Top 4 of 7 findings\n\n')[1]!.split('\n\n')[0]!.split('\n').slice(2);
    expect(table.map((row) => row.split(' | ').slice(0, 3).join(' | '))).toEqual([
      '| 🔴 error | [src/workflows/order.ts:12](src/workflows/order.ts#L12) | [`workflow-throws-plain-error`](' + DOCS + 'workflow-throws-plain-error.md)',
      '| 🔴 error | [src/workflows/order.ts:20](src/workflows/order.ts#L20) | [`activity-retry-policy-missing`](' + DOCS + 'activity-retry-policy-missing.md)',
      '| 🔴 error | [src/workflows/ship \\[eu\\] &amp; co.ts:8](src/workflows/ship%20%5Beu%5D%20%26%20co.ts#L8) | [`activity-retry-policy-missing`](' + DOCS + 'activity-retry-policy-missing.md)',
      '| 🟡 warning | (project) | [`no-replay-test`](' + DOCS + 'no-replay-test.md)',
    ]);
  });

  it('prefixes file links with linkBase when given', () => {
    const text = renderMarkdown(fixtureResult(), { linkBase: 'https://github.com/acme/shop/blob/abc123/' });
    expect(text).toContain('[src/worker.ts:4](https://github.com/acme/shop/blob/abc123/src/worker.ts#L4)');
  });

  it('folds the findings of each area, with the fix and related locations', () => {
    const text = renderMarkdown(fixtureResult());
    const summaries = [...text.matchAll(/<summary>(.*)<\/summary>/g)].map((m) => m[1]);
    expect(summaries).toEqual([
      '<b>determinism</b>: ❌ FAIL · 1 error, 1 warning, 0 info',
      '<b>retries</b>: ❌ FAIL · 2 errors, 0 warnings, 0 info',
      '<b>timeouts</b>: ⚠️ WARN · 0 errors, 1 warning, 0 info',
      '<b>payloads</b>: ⚠️ WARN · 0 errors, 1 warning, 0 info',
      '<b>capacity</b>: ✅ PASS · 0 errors, 0 warnings, 1 info',
      '1 info',
      'Notes from the review (2)',
    ]);
    expect(text).toContain('  **Fix:** Throw ApplicationFailure.create\\(\\{ message, nonRetryable: true \\}\\) instead.\n  - [src/worker.ts:4](src/worker.ts#L4): the worker that runs this workflow\n');
  });

  it('puts errors before warnings in an area and folds info once more', () => {
    const text = renderMarkdown(fixtureResult());
    const determinism = text.split('<b>determinism</b>')[1]!.split('</details>')[0]!;
    expect(determinism.split('\n').filter((line) => line.startsWith('- ')).map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
      '- 🔴 error',
      '- 🟡 warning',
    ]);
    const capacity = text.split('<b>capacity</b>')[1]!.split('\n\n</details>\n\n</details>')[0]!;
    expect(capacity).toContain('<details><summary>1 info</summary>\n\n- 🔵 info [src/worker.ts:4](src/worker.ts#L4)');
  });

  it('renders strings from code as text: no HTML, no mentions, no broken table cells', () => {
    const result = fixtureResult();
    result.findings[6]!.message = 'ping @octocat about #12 | see <a href="x">here</a>\nnext line';
    const text = renderMarkdown(result);
    expect(text).not.toMatch(/<img|<\/script>|<a href|<b>x/);
    expect(text).toContain('Workflow type &lt;img src=x onerror=alert\\(1\\)&gt; averages 180 KB');
    expect(text).toContain('ping &#64;octocat about &#35;12 \\| see &lt;a href="x"&gt;here&lt;/a&gt; next line');
    const tableRows = text.split('\n').filter((line) => line.startsWith('| 🔵'));
    expect(tableRows).toHaveLength(1);
    expect(tableRows[0]!.split(/(?<!\\)\|/).length).toBe(6);
  });

  it('stops before 60,000 characters and says what it left out', () => {
    const result = fixtureResult();
    const many: Finding[] = [];
    for (let i = 1; i <= 1500; i++) {
      many.push({
        checkId: 'activity-retry-policy-missing', area: 'retries', severity: 'error', evidence: 'static',
        file: `src/activities/generated-${i}.ts`, line: i, column: 1,
        message: `proxyActivities number ${i} has no retry policy: attempts are unlimited during an outage.`,
        fix: 'Set retry: { maximumAttempts: 5 }.',
      });
    }
    result.findings = [...result.findings, ...many];
    const text = renderMarkdown(result);
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_MAX_LENGTH);
    expect(text).toContain('### Top 10 of 1507 findings');
    expect(text).toContain('<b>determinism</b>');
    expect(text).not.toContain('<b>retries</b>');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      '> **Truncated:** this report passed 60,000 characters, so 1 section (1502 findings) is not shown. Run `temporal-preflight check --format html` for the full report.',
    );
  });

  it('does not mention truncation when everything fits', () => {
    expect(renderMarkdown(fixtureResult())).not.toContain('Truncated');
  });
});
