// --format pretty: a one-screen scorecard first, then the findings grouped by area with
// file:line, message and fix, then a summary line. Colours only when the caller allows them.

import pc from 'picocolors';
import { AREAS } from '../engine/types.js';
import type { AreaResult, Finding, ReviewResult } from '../engine/types.js';

export interface PrettyOptions {
  color: boolean;
}

type Colors = ReturnType<typeof pc.createColors>;

export function renderPretty(result: ReviewResult, options: PrettyOptions): string {
  const c = pc.createColors(options.color);
  const lines: string[] = [];
  lines.push(`${c.bold(result.tool.name)} ${result.tool.version}`);
  lines.push('');
  const failing = result.areas.filter((a) => a.status === 'fail').length;
  const verdict = result.verdict === 'GO' ? c.bold(c.green(' GO ')) : c.bold(c.red(' NO-GO '));
  lines.push(`  ${verdict}  ${failing ? `${failing} of ${result.areas.length} areas fail` : 'no area fails'}${result.failOn === 'warning' ? ' (--fail-on warning)' : ''}`);
  lines.push('');
  for (const area of result.areas) lines.push(`  ${scoreLine(area, c)}`);
  lines.push('');

  for (const area of AREAS) {
    const own = result.findings.filter((f) => f.area === area);
    if (!own.length) continue;
    lines.push(c.bold(area));
    for (const finding of own) lines.push(...findingLines(finding, c));
    lines.push('');
  }

  if (result.diagnostics.length) {
    lines.push(c.bold('notes'));
    for (const d of result.diagnostics) {
      const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}  ` : '';
      lines.push(`  ${c.dim(where)}${d.message}`);
    }
    lines.push('');
  }
  lines.push(summaryLine(result, c));
  return `${lines.join('\n')}\n`;
}

const STATUS_TEXT: Record<AreaResult['status'], string> = {
  fail: 'FAIL',
  warn: 'WARN',
  pass: 'PASS',
  'not-verified': 'NOT VERIFIED',
};

function scoreLine(area: AreaResult, c: Colors): string {
  const paint = area.status === 'fail' ? c.red : area.status === 'warn' ? c.yellow : area.status === 'pass' ? c.green : c.dim;
  const counts = [
    area.errors ? `${area.errors} error${area.errors === 1 ? '' : 's'}` : '',
    area.warnings ? `${area.warnings} warning${area.warnings === 1 ? '' : 's'}` : '',
    area.infos ? `${area.infos} info` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const evidence = area.evidence.length ? area.evidence.join(' + ') : 'no evidence';
  const note = area.note ? c.dim(` (${area.note})`) : '';
  return `${area.area.padEnd(14)} ${paint(STATUS_TEXT[area.status].padEnd(13))} ${counts.padEnd(28)} ${c.dim(evidence)}${note}`;
}

function findingLines(f: Finding, c: Colors): string[] {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}:${f.column ?? 1}` : ''}` : '(project)';
  const severity = f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
  const out = [`  ${c.cyan(where)}  ${severity}  ${c.dim(f.checkId)}`];
  out.push(...wrap(f.message, 4));
  if (f.fix) out.push(...wrap(`${c.green('fix:')} ${f.fix}`, 4));
  for (const r of f.related ?? []) out.push(`    ${c.dim(`${r.file}:${r.line}:${r.column}`)} ${r.message}`);
  return out;
}

function wrap(text: string, indent: number): string[] {
  const width = 100 - indent;
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      if (line && visibleLength(line) + 1 + visibleLength(word) > width) {
        out.push(' '.repeat(indent) + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    out.push(' '.repeat(indent) + line);
  }
  return out;
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

function summaryLine(result: ReviewResult, c: Colors): string {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.filter((f) => f.severity === 'warning').length;
  const infos = result.findings.filter((f) => f.severity === 'info').length;
  const files = new Set(result.findings.map((f) => f.file).filter(Boolean)).size;
  const verdict = result.verdict === 'GO' ? c.green('GO') : c.red('NO-GO');
  return `${verdict}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info in ${files} file${files === 1 ? '' : 's'}`;
}
