// --format markdown: for a pull-request comment or a CI job summary. The verdict and the
// scorecard come first, then the findings that matter most, then every finding folded per area
// (errors first, info folded once more).
// GitHub rejects comments over 65,536 characters, so the report stops at 60,000 and says so.

import { DOCS_BASE_URL } from '../engine/tool-info.js';
import { AREAS } from '../engine/types.js';
import type { AreaResult, Finding, ReviewResult, Severity } from '../engine/types.js';
import { encodePath, escapeMarkdown } from './markdown-escape.js';
import { areaScopeCounts, scopeSentences } from './scope-text.js';
import { inventoryLine, projectLine } from './review-context.js';

export interface MarkdownOptions {
  /** Prefix for file links, e.g. https://github.com/o/r/blob/<sha>/app/ (default: relative links). */
  linkBase?: string;
  /** How many findings the "Top findings" table shows (default 10). */
  topFindings?: number;
  /** Character budget (default 60,000). */
  maxLength?: number;
}

export const MARKDOWN_MAX_LENGTH = 60_000;

const STATUS: Record<AreaResult['status'], string> = {
  fail: '❌ FAIL',
  warn: '⚠️ WARN',
  pass: '✅ PASS',
  'not-verified': '➖ NOT VERIFIED',
};
const SEVERITY: Record<Severity, string> = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' };
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function renderMarkdown(result: ReviewResult, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? MARKDOWN_MAX_LENGTH;
  const head = [...headerLines(result), '', ...scorecardLines(result)];
  const top = topFindingLines(result.findings, options);
  const sections = AREAS.flatMap((area) => {
    const own = result.findings.filter((f) => f.area === area);
    const areaResult = result.areas.find((a) => a.area === area);
    return own.length && areaResult ? [areaSection(areaResult, own, options)] : [];
  });
  const notes = result.diagnostics.length ? [notesSection(result)] : [];

  // Sections are whole units: a section that does not fit is left out, never cut mid-table.
  const parts = [head.join('\n')];
  let length = parts[0]!.length;
  let omittedFindings = 0;
  let omittedSections = 0;
  const reserve = 400; // room for the truncation notice
  const candidates: { text: string; findings: number }[] = [
    ...(top.length ? [{ text: top.join('\n'), findings: 0 }] : []),
    ...sections,
    ...notes.map((text) => ({ text, findings: 0 })),
  ];
  for (const candidate of candidates) {
    if (length + candidate.text.length + 2 + reserve > maxLength) {
      omittedSections++;
      omittedFindings += candidate.findings;
      continue;
    }
    parts.push(candidate.text);
    length += candidate.text.length + 2;
  }
  if (omittedSections) {
    parts.push(
      `> **Truncated:** this report passed ${maxLength.toLocaleString('en-US')} characters, so ${omittedSections} section${omittedSections === 1 ? '' : 's'}` +
        `${omittedFindings ? ` (${omittedFindings} finding${omittedFindings === 1 ? '' : 's'})` : ''} ${omittedSections === 1 ? 'is' : 'are'} not shown. ` +
        'Run `temporal-preflight check --format html` for the full report.',
    );
  }
  return `${parts.join('\n\n')}\n`;
}

function headerLines(result: ReviewResult): string[] {
  const failing = result.areas.filter((a) => a.status === 'fail' || (result.failOn === 'warning' && a.status === 'warn')).length;
  const unverified = result.areas.filter((a) => a.status === 'not-verified').length;
  const verdict = result.verdict === 'GO' ? '✅ GO' : '❌ NO-GO';
  const counts = severityCounts(result.findings);
  const summary = [
    failing ? `${failing} of ${result.areas.length} areas fail` : 'no area fails',
    ...(unverified ? [`${unverified} not verified`] : []),
    `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`,
    `${result.tool.name} ${escapeMarkdown(result.tool.version)}${result.failOn === 'warning' ? ', --fail-on warning' : ''}`,
  ];
  const scope = scopeSentences(result.scope).map(escapeMarkdown);
  const context = [
    ...(result.project ? ['', `**Reviewed:** ${escapeMarkdown(projectLine(result.project))}`] : []),
    ...(result.inventory ? ['', `**Inventory:** ${inventoryLine(result.inventory)}`] : []),
  ];
  return [`## Temporal production readiness: ${verdict}`, '', summary.join(' · '), ...context, ...(scope.length ? ['', scope.join(' ')] : [])];
}

function scorecardLines(result: ReviewResult): string[] {
  // With --baseline or --since, a column counts the findings left out of the others.
  const scoped = result.scope !== undefined;
  const lines = [
    `| Area | Status | Errors | Warnings | Info |${scoped ? ' Not shown |' : ''} Evidence |`,
    `| --- | --- | ---: | ---: | ---: |${scoped ? ' --- |' : ''} --- |`,
  ];
  for (const a of result.areas) {
    const evidence = a.evidence.length ? a.evidence.join(' + ') : 'none';
    const note = a.note ? ` (${escapeMarkdown(a.note)})` : '';
    const leftOut = scoped ? ` ${areaScopeCounts(a) || '0'} |` : '';
    lines.push(`| ${a.area} | ${STATUS[a.status]} | ${a.errors} | ${a.warnings} | ${a.infos} |${leftOut} ${evidence}${note} |`);
  }
  return lines;
}

function topFindingLines(findings: Finding[], options: MarkdownOptions): string[] {
  if (!findings.length) return [];
  const limit = options.topFindings ?? 10;
  const ranked = findings
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || a.order - b.order)
    .slice(0, limit)
    .map((entry) => entry.finding);
  const title = findings.length > limit ? `### Top ${limit} of ${findings.length} findings` : `### Findings`;
  const lines = [title, '', '| Severity | Where | Check | What is wrong |', '| --- | --- | --- | --- |'];
  for (const f of ranked) {
    lines.push(`| ${SEVERITY[f.severity]} | ${where(f, options)} | ${checkLink(f.checkId)} | ${escapeMarkdown(f.message)} |`);
  }
  return lines;
}

function areaSection(area: AreaResult, findings: Finding[], options: MarkdownOptions): { text: string; findings: number } {
  const counts = severityCounts(findings);
  const label = [plural(counts.error, 'error'), plural(counts.warning, 'warning'), `${counts.info} info`].join(', ');
  const lines = [`<details><summary><b>${area.area}</b>: ${STATUS[area.status]} · ${label}</summary>`, ''];
  // Errors first, then warnings; info folded once more, so the defects are what the section opens on.
  for (const f of [...ofSeverity(findings, 'error'), ...ofSeverity(findings, 'warning')]) lines.push(...findingItem(f, options));
  const infos = ofSeverity(findings, 'info');
  if (infos.length) {
    if (infos.length < findings.length) lines.push('');
    lines.push(`<details><summary>${infos.length} info</summary>`, '');
    for (const f of infos) lines.push(...findingItem(f, options));
    lines.push('', '</details>');
  }
  lines.push('', '</details>');
  return { text: lines.join('\n'), findings: findings.length };
}

function findingItem(f: Finding, options: MarkdownOptions): string[] {
  const lines = [`- ${SEVERITY[f.severity]} ${where(f, options)} ${checkLink(f.checkId)}  `, `  ${escapeMarkdown(f.message)}${f.fix ? '  ' : ''}`];
  if (f.fix) lines.push(`  **Fix:** ${escapeMarkdown(f.fix)}`);
  for (const r of f.related ?? []) lines.push(`  - ${fileLink(r.file, r.line, options)}: ${escapeMarkdown(r.message)}`);
  return lines;
}

function ofSeverity(findings: Finding[], severity: Severity): Finding[] {
  return findings.filter((f) => f.severity === severity);
}

function notesSection(result: ReviewResult): string {
  const lines = [`<details><summary>Notes from the review (${result.diagnostics.length})</summary>`, ''];
  for (const d of result.diagnostics) {
    const place = d.file ? `${escapeMarkdown(`${d.file}${d.line ? `:${d.line}` : ''}`)}: ` : '';
    lines.push(`- ${place}${escapeMarkdown(d.message)}`);
  }
  lines.push('', '</details>');
  return lines.join('\n');
}

function where(f: Finding, options: MarkdownOptions): string {
  return f.file ? fileLink(f.file, f.line, options) : '(project)';
}

function fileLink(file: string, line: number | undefined, options: MarkdownOptions): string {
  const text = escapeMarkdown(`${file}${line ? `:${line}` : ''}`);
  return `[${text}](${options.linkBase ?? ''}${encodePath(file)}${line ? `#L${line}` : ''})`;
}

function checkLink(checkId: string): string {
  // Registry ids are kebab-case; findings from elsewhere (replay, drills) are escaped as text.
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(checkId)) return escapeMarkdown(checkId);
  return `[\`${checkId}\`](${DOCS_BASE_URL}${checkId}.md)`;
}

function severityCounts(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
