// --format pretty: a one-screen scorecard first, then every error in full, then the warnings
// grouped by check (see pretty-findings.ts), then a summary line. --compact prints one line per
// finding instead. Colours only when the caller allows them; the width is the caller's (only the
// CLI knows the terminal).

import pc from 'picocolors';
import type { AreaResult, ReviewResult } from '../engine/types.js';
import { compactLines } from './pretty-compact.js';
import { inventoryParts, projectParts } from './review-context.js';
import { findingSections, hiddenInfoNote, ofSeverity } from './pretty-findings.js';
import { areaScopeCounts, scopeSentences } from './scope-text.js';
import { clampWidth, visibleLength, wrap } from './text-layout.js';

export interface PrettyOptions {
  color: boolean;
  /** Columns to wrap to (default 100). */
  width?: number;
  /** Every finding in full, info included, and every note. */
  verbose?: boolean;
  /** One line per finding and the summary line; no scorecard. */
  compact?: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

/** Notes (unparsable files, unresolved imports) listed before "+N more" unless verbose. */
const NOTES_SHOWN = 5;
/** Places listed for a note that several files share, before "+N more". */
const PLACES_SHOWN = 3;

/**
 * Notes with the same text are one line listing their places (ten tsconfigs extending the same
 * missing base config), and a message that starts with its own place does not repeat it.
 */
function noteGroups(diagnostics: ReviewResult['diagnostics']): { message: string; places: string[] }[] {
  const groups = new Map<string, { message: string; places: string[] }>();
  for (const d of diagnostics) {
    const place = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}` : '';
    const message = place && d.message.startsWith(`${place}: `) ? d.message.slice(place.length + 2) : d.message;
    const group = groups.get(message) ?? { message, places: [] };
    if (place) group.places.push(place);
    groups.set(message, group);
  }
  return [...groups.values()];
}

export function renderPretty(result: ReviewResult, options: PrettyOptions): string {
  const c = pc.createColors(options.color);
  const width = clampWidth(options.width);
  const verbose = options.verbose ?? false;
  if (options.compact) {
    return `${[...compactLines(result.findings, c, verbose), summaryLine(result, c, verbose)].join('\n')}\n`;
  }
  const lines: string[] = [];
  lines.push(`${c.bold(result.tool.name)} ${result.tool.version}`);
  lines.push('');
  const failing = result.areas.filter((a) => a.status === 'fail').length;
  const verdict = result.verdict === 'GO' ? c.bold(c.green(' GO ')) : c.bold(c.red(' NO-GO '));
  const unverified = result.areas.filter((a) => a.gaps?.length).map((a) => a.area);
  const headline = [failing ? `${failing} of ${result.areas.length} areas fail` : 'no area fails', ...(unverified.length ? [`not verified: ${unverified.join(', ')}`] : [])].join('; ');
  lines.push(`  ${verdict}  ${headline}${result.failOn === 'warning' ? ' (--fail-on warning)' : ''}`);
  for (const sentence of scopeSentences(result.scope)) lines.push(...wrap(c.dim(sentence), 2, width, 4));
  lines.push('');
  for (const area of result.areas) lines.push(...scoreLines(area, c, width));
  lines.push('');

  lines.push(...findingSections(result.findings, c, { width, verbose }));

  if (result.diagnostics.length) {
    lines.push(c.bold('notes'));
    const groups = noteGroups(result.diagnostics);
    const shown = verbose ? groups : groups.slice(0, NOTES_SHOWN);
    for (const group of shown) {
      if (group.places.length <= 1) {
        const where = group.places[0] ? `${group.places[0]}  ` : '';
        lines.push(...wrap(`${c.dim(where)}${group.message}`, 2, width, 4));
        continue;
      }
      const listed = verbose ? group.places : group.places.slice(0, PLACES_SHOWN);
      const rest = group.places.length - listed.length;
      lines.push(...wrap(`${group.message} ${c.dim(`(${group.places.length} places: ${listed.join(', ')}${rest ? `, +${rest} more` : ''})`)}`, 2, width, 4));
    }
    const more = groups.length - shown.length;
    if (more) lines.push(`  ${c.dim(`+${more} more note${more === 1 ? '' : 's'}; --verbose shows them`)}`);
    lines.push('');
  }
  lines.push(...contextLines(result, c, width));
  lines.push(...wrap(summaryLine(result, c, verbose), 0, width, 2));
  return `${lines.join('\n')}\n`;
}

const STATUS_TEXT: Record<AreaResult['status'], string> = {
  fail: 'FAIL',
  warn: 'WARN',
  pass: 'PASS',
  'not-verified': 'NOT VERIFIED',
};

/** Where the evidence column starts: 2 + 14 (area) + 1 + 13 (status) + 1 + 28 (counts) + 1. */
const EVIDENCE_COLUMN = 60;

function scoreLines(area: AreaResult, c: Colors, width: number): string[] {
  const paint = area.status === 'fail' ? c.red : area.status === 'warn' ? c.yellow : area.status === 'pass' ? c.green : c.dim;
  const counts = [
    area.errors ? `${area.errors} error${area.errors === 1 ? '' : 's'}` : '',
    area.warnings ? `${area.warnings} warning${area.warnings === 1 ? '' : 's'}` : '',
    area.infos ? `${area.infos} info` : '',
    areaScopeCounts(area) ? `+${areaScopeCounts(area)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const evidence = area.evidence.length ? area.evidence.join(' + ') : 'no evidence';
  const line = `  ${area.area.padEnd(14)} ${paint(STATUS_TEXT[area.status].padEnd(13))} ${counts.padEnd(28)} ${c.dim(evidence)}`;
  if (!area.note) return [line];
  const note = `(${area.note})`;
  if (visibleLength(line) + 1 + note.length <= width) return [`${line} ${c.dim(note)}`];
  // The note goes under the evidence column, wrapped there (or under the status on a narrow terminal).
  const column = width - EVIDENCE_COLUMN >= 30 ? EVIDENCE_COLUMN : 4;
  return [line, ...wrap(note, column, width).map((l) => c.dim(l))];
}

/** What was reviewed (project, folder, commit, date) and what the review saw, above the summary. */
function contextLines(result: ReviewResult, c: Colors, width: number): string[] {
  const blocks = [
    ...(result.project ? [joinFitting(projectParts(result.project), ' · ', width)] : []),
    ...(result.inventory ? [joinFitting(inventoryParts(result.inventory), ', ', width)] : []),
  ];
  if (!blocks.length) return [];
  const lines = blocks.flat().map((line) => `${' '.repeat(CONTEXT_INDENT)}${line}`);
  lines[0] = `${c.dim('reviewed'.padEnd(CONTEXT_INDENT))}${lines[0]!.slice(CONTEXT_INDENT)}`;
  return [...lines, ''];
}

const CONTEXT_INDENT = 10;

/** Joins the pieces into lines that fit after the indent, breaking only between pieces ("13:40 UTC" stays whole). */
function joinFitting(pieces: string[], separator: string, width: number): string[] {
  const lines: string[] = [];
  for (const piece of pieces) {
    const last = lines.at(-1);
    // room for the separator that ends a line when the next piece goes to the next one
    const fits = last !== undefined && CONTEXT_INDENT + last.length + separator.length + piece.length + separator.trimEnd().length <= width;
    if (fits) lines[lines.length - 1] = `${last}${separator}${piece}`;
    else lines.push(piece);
  }
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}${separator.trimEnd()}` : line));
}

function summaryLine(result: ReviewResult, c: Colors, verbose: boolean): string {
  const errors = ofSeverity(result.findings, 'error').length;
  const warnings = ofSeverity(result.findings, 'warning').length;
  const infos = ofSeverity(result.findings, 'info').length;
  const files = new Set(result.findings.map((f) => f.file).filter(Boolean)).size;
  const verdict = result.verdict === 'GO' ? c.green('GO') : c.red('NO-GO');
  const hidden = [hiddenInfoNote(result.findings, { verbose }), ...scopeLeftOut(result)].filter(Boolean).join('; ');
  return `${verdict}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info in ${files} file${files === 1 ? '' : 's'}${hidden ? ` (${hidden})` : ''}`;
}

/** The summary line's account of what --baseline and --since left out. */
function scopeLeftOut(result: ReviewResult): string[] {
  const { baseline, since } = result.scope ?? {};
  return [
    ...(baseline ? [`${baseline.known} known in the baseline`] : []),
    ...(since ? [`${since.outsideChange} outside the change since ${since.ref}`] : []),
  ];
}
