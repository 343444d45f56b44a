// The top of the page: the verdict a lead reads first, then one card per area.

import type { AreaResult, ReviewResult } from '../../engine/types.js';
import { areaScopeCounts, scopeSentences } from '../scope-text.js';
import { inventoryLine, projectLine } from '../review-context.js';
import { html, type Markup } from './escape.js';

const STATUS_LABEL: Record<AreaResult['status'], string> = {
  fail: 'Fail',
  warn: 'Warn',
  pass: 'Pass',
  'not-verified': 'Not verified',
};

const AREA_QUESTION: Record<AreaResult['area'], string> = {
  determinism: 'Will running workflows replay after a deploy?',
  retries: 'Do failures back off instead of storming a dependency?',
  timeouts: 'Does every activity have a deadline that surfaces a stuck worker?',
  payloads: 'Do histories and payloads stay far from server limits?',
  capacity: 'Are workers sized for twice the expected peak?',
  observability: 'Will the team see a failure before customers do?',
};

export function verdictHeader(result: ReviewResult): Markup {
  const failing = result.areas.filter((a) => a.status === 'fail' || (result.failOn === 'warning' && a.status === 'warn'));
  const go = result.verdict === 'GO';
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  const unverified = result.areas.filter((a) => a.status === 'not-verified').length;
  const headline = go
    ? unverified
      ? `No area fails, but ${unverified} of ${result.areas.length} areas ${unverified === 1 ? 'was' : 'were'} not verified.`
      : 'Ready for production: no area fails.'
    : failing.length > 0
      ? `Not ready for production: ${failing.length} of ${result.areas.length} areas fail (${failing.map((a) => a.area).join(', ')}).`
      : `Not ready for production: the review could not see ${result.areas.filter((a) => a.gaps?.length).map((a) => a.area).join(', ')} (see the notes).`;
  const infos = result.findings.length - errors - warnings;
  const evidence = [...new Set(result.areas.flatMap((a) => a.evidence))];
  return html`<header class="hero ${go ? 'go' : 'no-go'}">
  <div class="hero-text">
    <p class="eyebrow">Temporal production-readiness review${result.project ? html` · <span class="project">${projectLine(result.project)}</span>` : ''}</p>
    <h1><span class="verdict" data-verdict="${result.verdict}">${result.verdict}</span></h1>
    <p class="headline">${headline}</p>
    <p class="sub">Evidence: ${evidence.length ? evidence.join(', ') : 'none'}${result.failOn === 'warning' ? ' · warnings count as failures (--fail-on warning)' : ''}</p>
    ${scopeSentences(result.scope).map((sentence) => html`<p class="sub scope">${sentence}</p>`)}
    ${result.inventory ? html`<p class="sub inventory">Reviewed: ${inventoryLine(result.inventory)}</p>` : ''}
  </div>
  <dl class="stats">
    <div class="stat error${errors ? '' : ' zero'}"><dt>errors</dt><dd>${errors}</dd></div>
    <div class="stat warning${warnings ? '' : ' zero'}"><dt>warnings</dt><dd>${warnings}</dd></div>
    <div class="stat info${infos ? '' : ' zero'}"><dt>info</dt><dd>${infos}</dd></div>
  </dl>
</header>`;
}

export function areaCards(result: ReviewResult): Markup {
  const cards = result.areas.map(
    (a) => html`<button type="button" class="card status-${a.status}" data-area-card="${a.area}" title="Show the findings of ${a.area}">
  <span class="card-top"><span class="card-name">${a.area}</span><span class="pill status-${a.status}">${STATUS_LABEL[a.status]}</span></span>
  <span class="card-question">${AREA_QUESTION[a.area]}</span>
  <span class="card-counts">${counts(a)}</span>
  <span class="card-evidence">${a.evidence.length ? `Evidence: ${a.evidence.join(' + ')}` : 'No evidence available'}</span>
  ${a.note ? html`<span class="card-note">${a.note.charAt(0).toUpperCase()}${a.note.slice(1)}</span>` : ''}
</button>`,
  );
  return html`<section class="cards" aria-label="Scorecard">${cards}</section>`;
}

function counts(a: AreaResult): Markup {
  const leftOut = areaScopeCounts(a);
  const scope = leftOut ? html`<span class="count none">${leftOut} not shown</span>` : '';
  if (!a.errors && !a.warnings && !a.infos) return html`<span class="count none">No findings</span>${scope}`;
  return html`${a.errors ? html`<span class="count error">${a.errors} error${a.errors === 1 ? '' : 's'}</span>` : ''}${
    a.warnings ? html`<span class="count warning">${a.warnings} warning${a.warnings === 1 ? '' : 's'}</span>` : ''
  }${a.infos ? html`<span class="count info">${a.infos} info</span>` : ''}${scope}`;
}
