// The findings, filterable by area and severity, errors first; info findings folded in a
// <details> below them. Without JavaScript every finding is there; the filter script only hides rows.

import { DOCS_BASE_URL } from '../../engine/tool-info.js';
import { AREAS, SEVERITIES } from '../../engine/types.js';
import type { Finding, ReviewResult } from '../../engine/types.js';
import { html, type Markup } from './escape.js';

export function findingsSection(result: ReviewResult): Markup {
  if (!result.findings.length) {
    return html`<section class="panel" id="findings"><h2>Findings</h2><p class="empty">No findings. Every check that had the evidence it needs passed.</p></section>`;
  }
  const areaButtons = [
    html`<button type="button" class="chip" data-filter-area="all" aria-pressed="true">All <span class="n">${result.findings.length}</span></button>`,
    ...AREAS.filter((area) => result.findings.some((f) => f.area === area)).map(
      (area) =>
        html`<button type="button" class="chip" data-filter-area="${area}" aria-pressed="false">${area} <span class="n">${result.findings.filter((f) => f.area === area).length}</span></button>`,
    ),
  ];
  const severityToggles = SEVERITIES.filter((s) => result.findings.some((f) => f.severity === s)).map(
    (s) =>
      html`<label class="chip sev-${s}"><input type="checkbox" data-filter-severity="${s}" checked> ${s} <span class="n">${result.findings.filter((f) => f.severity === s).length}</span></label>`,
  );
  return html`<section class="panel" id="findings">
  <div class="panel-head"><h2>Findings</h2><p class="shown" id="shown-count" aria-live="polite">Showing ${result.findings.length} of ${result.findings.length}</p></div>
  <div class="filters">
    <div class="filter-group" role="group" aria-label="Filter by area"><span class="filter-label">Area</span>${areaButtons}</div>
    <div class="filter-group" role="group" aria-label="Filter by severity"><span class="filter-label">Severity</span>${severityToggles}</div>
  </div>
  <ol class="findings">${bySeverity(result.findings.filter((f) => f.severity !== 'info')).map(findingItem)}</ol>
  ${infoFold(result.findings.filter((f) => f.severity === 'info'))}
  <p class="empty" id="no-match" hidden>No finding matches these filters.</p>
</section>`;
}

/** Errors first, then warnings, then info; the result's file order within each. */
function bySeverity(findings: Finding[]): Finding[] {
  return SEVERITIES.flatMap((severity) => findings.filter((f) => f.severity === severity));
}

/** Info findings folded under the errors and warnings: context, not defects. */
function infoFold(infos: Finding[]): Markup {
  if (!infos.length) return html``;
  return html`<details class="info-findings"><summary>${infos.length} info finding${infos.length === 1 ? '' : 's'}</summary><ol class="findings">${infos.map(findingItem)}</ol></details>`;
}

function findingItem(f: Finding): Markup {
  const where = f.file
    ? html`<code class="where">${f.file}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}</code>`
    : html`<span class="where project">project-wide</span>`;
  const docs = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(f.checkId) ? `${DOCS_BASE_URL}${f.checkId}.md` : undefined;
  return html`<li class="finding sev-${f.severity}" data-area="${f.area}" data-severity="${f.severity}">
  <div class="finding-head">
    <span class="sev sev-${f.severity}">${f.severity}</span>
    ${where}
    <span class="area-tag">${f.area}</span>
    ${docs ? html`<a class="check" href="${docs}" rel="noreferrer">${f.checkId}</a>` : html`<span class="check">${f.checkId}</span>`}
  </div>
  <p class="message">${f.message}</p>
  ${f.fix ? html`<p class="fix"><strong>Fix</strong> ${f.fix}</p>` : ''}
  ${f.related?.length ? html`<ul class="related">${f.related.map((r) => html`<li><code>${r.file}:${r.line}</code> ${r.message}</li>`)}</ul>` : ''}
</li>`;
}

export function notesSection(result: ReviewResult): Markup {
  if (!result.diagnostics.length) return html``;
  return html`<section class="panel notes"><details><summary>Notes from the review (${result.diagnostics.length})</summary><ul>${result.diagnostics.map(
    (d) => html`<li>${d.file ? html`<code>${d.file}${d.line ? `:${d.line}` : ''}</code> ` : ''}${d.message}</li>`,
  )}</ul></details></section>`;
}
