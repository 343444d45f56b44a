import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html/render-html.js';
import { launchChromium, openReport, type OpenedReport } from './html-browser.js';
import { fixtureResult, fixtureResultWithEvidence } from './review-result-fixture.js';

let browser: Browser;
let report: OpenedReport;

beforeAll(async () => {
  browser = await launchChromium();
  report = await openReport(browser, renderHtml(fixtureResultWithEvidence()));
});

afterAll(async () => {
  await browser?.close();
});

const visibleFindings = () => report.page.locator('li.finding:visible');

describe('html report in Chromium', () => {
  it('says at the top which project, folder, commit and date it is about, and what the review saw', async () => {
    const { page } = report;
    expect(await page.locator('header .project').textContent()).toBe('@acme/shop · services/shop · commit 1a2b3c4d5e6f (uncommitted changes) · 2026-12-03 13:40 UTC');
    expect(await page.locator('header .inventory').textContent()).toBe(
      'Reviewed: 12 files, 2 workflows, 5 activities, 3 activity proxies, 1 worker, 2 task queues, 2 workflow starts, 198 histories',
    );
  });

  it('renders the verdict, the six area cards and every finding', async () => {
    const { page } = report;
    expect(await page.locator('.verdict').textContent()).toBe('NO-GO');
    expect(await page.locator('.headline').textContent()).toBe('Not ready for production: 2 of 6 areas fail (determinism, retries).');
    expect(await page.locator('[data-area-card]').evaluateAll((cards) => cards.map((c) => `${c.getAttribute('data-area-card')}:${c.querySelector('.pill')?.textContent}`))).toEqual([
      'determinism:Fail', 'retries:Fail', 'timeouts:Warn', 'payloads:Warn', 'capacity:Pass', 'observability:Not verified',
    ]);
    // The info finding is folded under the errors and warnings until its summary is opened.
    expect(await visibleFindings().evaluateAll((items) => items.map((i) => i.getAttribute('data-severity')))).toEqual(['error', 'error', 'error', 'warning', 'warning', 'warning']);
    expect(await page.locator('details.info-findings summary').textContent()).toBe('1 info finding');
    await page.locator('details.info-findings summary').click();
    expect(await visibleFindings().count()).toBe(7);
    expect(await page.locator('#shown-count').textContent()).toBe('Showing 7 of 7');
  });

  it('makes no request and logs no console error', () => {
    expect(report.requests).toEqual([report.pageUrl]);
    expect(report.consoleErrors).toEqual([]);
    expect(report.dialogs).toEqual([]);
  });

  it('shows hostile names from code and histories as text', async () => {
    const { page } = report;
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('#histories td').first().textContent()).toBe('placeOrder');
    expect(await page.locator('#histories tbody td:first-child').allTextContents()).toEqual(['placeOrder', '<img src=x onerror=alert(1)>', 'shipParcel']);
    expect(await page.locator('#histories svg .bar-label').allTextContents()).toEqual(['placeOrder', '<img src=x onerror=alert(1)>', 'shipParcel']);
    const message = await page.locator('li.finding .message').first().textContent();
    expect(message).toBe('Workflow "placeOrder" throws `new Error("</script><b>x")`: a plain Error fails the workflow task, which retries forever.');
    expect(await page.locator('li.finding b').count()).toBe(0);
  });

  it('filters the findings by area', async () => {
    const { page } = report;
    await page.locator('[data-filter-area="retries"]').click();
    expect(await visibleFindings().evaluateAll((items) => items.map((i) => i.querySelector('.where')?.textContent))).toEqual([
      'src/workflows/order.ts:20:3',
      'src/workflows/ship [eu] & co.ts:8:3',
    ]);
    expect(await page.locator('#shown-count').textContent()).toBe('Showing 2 of 7');
    expect(await page.locator('[data-filter-area="retries"]').getAttribute('aria-pressed')).toBe('true');
    await page.locator('[data-filter-area="all"]').click();
    expect(await visibleFindings().count()).toBe(7);
  });

  it('filters the findings by severity, combined with the area', async () => {
    const { page } = report;
    await page.locator('[data-filter-severity="error"]').uncheck();
    expect(await visibleFindings().evaluateAll((items) => items.map((i) => i.getAttribute('data-severity')))).toEqual(['warning', 'warning', 'warning', 'info']);
    await page.locator('[data-filter-area="retries"]').click();
    expect(await visibleFindings().count()).toBe(0);
    expect(await page.locator('#no-match').isVisible()).toBe(true);
    await page.locator('[data-filter-severity="error"]').check();
    await page.locator('[data-filter-area="all"]').click();
    expect(await visibleFindings().count()).toBe(7);
    expect(await page.locator('#no-match').isVisible()).toBe(false);
  });

  it('filters to an area when its card is clicked', async () => {
    const { page } = report;
    await page.locator('[data-area-card="determinism"]').click();
    expect(await visibleFindings().evaluateAll((items) => items.map((i) => i.querySelector('.check')?.textContent))).toEqual([
      'workflow-throws-plain-error',
      'no-replay-test',
    ]);
    await page.locator('[data-filter-area="all"]').click();
  });

  it('draws the history, retry-storm and capacity charts', async () => {
    const { page } = report;
    expect(await page.locator('section.panel h2').allTextContents()).toEqual(['Findings', 'History size per workflow type', 'Retry storm', 'Worker capacity']);
    expect(await page.locator('#histories .bar.over').count()).toBe(1);
    expect(await page.locator('#retry-storm path.series').count()).toBe(3);
    expect(await page.locator('#retry-storm .legend-item').allTextContents()).toEqual([
      'as written: 1 s, no backoff',
      'server default: 1 s x2, max 100 s',
      'recommended: 1 s x2, max 60 s, 8 attempts',
    ]);
    expect(await page.locator('#retry-storm tbody tr').evaluateAll((rows) => rows.map((r) => r.querySelector('td:nth-child(2)')?.textContent))).toEqual(['500', '500', '500']);
    expect(await page.locator('#capacity .ref-label').allTextContents()).toEqual(['target 500 ms', '16 slots']);
    // 13 and 14 slots wait past the clipped axis (4 x the target); 11 and 12 are unstable.
    expect(await page.locator('#capacity circle.dot').count()).toBe(6);
  });
});

describe('html report without evidence sections', () => {
  it('folds info findings in a <details> after the errors and warnings', () => {
    const text = renderHtml(fixtureResult());
    expect(text).toContain('<details class="info-findings"><summary>1 info finding</summary><ol class="findings"><li class="finding sev-info"');
    expect(text.indexOf('sev-warning" data-area')).toBeLessThan(text.indexOf('details class="info-findings"'));
  });

  it('leaves out the history, retry-storm and capacity sections', () => {
    const text = renderHtml(fixtureResult());
    expect(text).not.toMatch(/id="(histories|retry-storm|capacity)"/);
    expect(text).toContain('id="findings"');
  });

  it('keeps absolute paths and remote resources out of the file', () => {
    const text = renderHtml(fixtureResultWithEvidence());
    expect(text).not.toContain('/home/someone');
    expect(text).not.toMatch(/<(link|img|iframe)\b|src=["']?https?:|@import|url\(\s*["']?https?:/i);
  });
});

describe('html report headline', () => {
  it('says how many areas were not verified when the verdict is GO', () => {
    const result = fixtureResult();
    result.verdict = 'GO';
    result.findings = [];
    result.areas = result.areas.map((a) => ({ ...a, status: a.area === 'observability' ? 'not-verified' : 'pass', errors: 0, warnings: 0, infos: 0 }));
    expect(renderHtml(result)).toContain('<p class="headline">No area fails, but 1 of 6 areas was not verified.</p>');
  });
});
