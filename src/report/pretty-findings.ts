// The findings part of the pretty report, shared by `check` and `histories`. Errors come first and
// in full, so a reviewer sees every one of them without scrolling (errors that say the same thing
// at several places list each place and say it once). Warnings follow, grouped: one entry per
// check with what it is about said once and the places listed, because the same missing safeguard
// repeated at forty call sites reads as forty problems when it is one. Info is hidden (and
// counted) unless verbose; verbose lists every finding in full.

import type pc from 'picocolors';
import { checks as registry } from '../checks/index.js';
import { AREAS } from '../engine/types.js';
import type { Area, Finding, Severity } from '../engine/types.js';
import { firstSentence, wrap, wrapList } from './text-layout.js';

type Colors = ReturnType<typeof pc.createColors>;

export interface FindingsLayout {
  width: number;
  /** Every finding in full, info included. */
  verbose: boolean;
}

/** Files a grouped entry lists before "+N more"; enough to find the pattern, short enough to scan. */
const GROUP_FILES = 3;
/** Lines listed per file in a grouped entry. */
const GROUP_LINES_PER_FILE = 4;
/** Related locations a full finding lists before "+N more". */
const RELATED_LOCATIONS = 3;

const DESCRIPTIONS = new Map(registry.map((check) => [check.id, check.description]));

export function findingSections(findings: Finding[], c: Colors, layout: FindingsLayout): string[] {
  const lines: string[] = [];
  const errors = ofSeverity(findings, 'error');
  const warnings = ofSeverity(findings, 'warning');
  const infos = ofSeverity(findings, 'info');

  if (errors.length) {
    lines.push(c.bold(c.red(`errors (${errors.length})`)));
    const blocks = (own: Finding[]) => (layout.verbose ? own.map((f) => [f]) : sameErrors(own));
    lines.push(...byArea(errors, c, (own) => blocks(own).flatMap((same) => fullFinding(same, c, layout.width))), '');
  }
  if (warnings.length && layout.verbose) {
    lines.push(c.bold(c.yellow(`warnings (${warnings.length})`)));
    lines.push(...byArea(warnings, c, (own) => own.flatMap((f) => fullFinding(f, c, layout.width))), '');
  } else if (warnings.length) {
    const groups = groupCount(warnings);
    const grouped = groups < warnings.length ? ` in ${groups} groups` : '';
    lines.push(c.bold(c.yellow(`warnings (${warnings.length}${grouped}; --verbose shows each with its fix)`)));
    lines.push(...byArea(warnings, c, (own) => groupByCheck(own).flatMap((group) => groupLines(group, c, layout.width))), '');
  }
  if (infos.length && layout.verbose) {
    lines.push(c.bold(c.blue(`info (${infos.length})`)));
    lines.push(...byArea(infos, c, (own) => own.flatMap((f) => fullFinding(f, c, layout.width))), '');
  }
  return lines;
}

/** "12 info hidden; --verbose shows them", or nothing when no info is hidden. */
export function hiddenInfoNote(findings: Finding[], layout: Pick<FindingsLayout, 'verbose'>): string {
  const infos = ofSeverity(findings, 'info').length;
  return infos && !layout.verbose ? `${infos} info hidden; --verbose shows them` : '';
}

export function ofSeverity(findings: Finding[], severity: Severity): Finding[] {
  return findings.filter((f) => f.severity === severity);
}

/** file:line:col, or "(project)" for a project-wide finding. */
export function findingPlace(f: Finding, withColumn = true): string {
  if (!f.file) return '(project)';
  if (!f.line) return f.file;
  return `${f.file}:${f.line}${withColumn ? `:${f.column ?? 1}` : ''}`;
}

export function severityLabel(severity: Severity, c: Colors): string {
  return severity === 'error' ? c.red('error') : severity === 'warning' ? c.yellow('warning') : c.blue('info');
}

function byArea(findings: Finding[], c: Colors, render: (own: Finding[]) => string[]): string[] {
  return AREAS.flatMap((area: Area) => {
    const own = findings.filter((f) => f.area === area);
    return own.length ? [`  ${c.bold(area)}`, ...render(own)] : [];
  });
}

/**
 * One finding in full; given several that say the same thing (same check, message and fix at
 * different places), each place gets its own line and the text is said once.
 */
function fullFinding(same: Finding | Finding[], c: Colors, width: number): string[] {
  const all = Array.isArray(same) ? same : [same];
  const f = all[0]!;
  const out = all.map((one) => `    ${c.cyan(findingPlace(one))}  ${severityLabel(one.severity, c)}  ${c.dim(one.checkId)}`);
  out.push(...wrap(f.message, 6, width));
  if (f.fix) out.push(...wrap(`${c.green('fix:')} ${f.fix}`, 6, width));
  const seen = new Set<string>();
  const related = all.flatMap((one) => one.related ?? []).filter((r) => {
    const key = `${r.file}:${r.line}:${r.column} ${r.message}`;
    return !seen.has(key) && seen.add(key);
  });
  for (const r of related.slice(0, RELATED_LOCATIONS)) out.push(...wrap(`${c.dim(`${r.file}:${r.line}:${r.column}`)} ${r.message}`, 6, width, 8));
  if (related.length > RELATED_LOCATIONS) out.push(`      ${c.dim(`+${related.length - RELATED_LOCATIONS} more related location${related.length - RELATED_LOCATIONS === 1 ? '' : 's'}`)}`);
  return out;
}

/** Errors that differ only in where they are, in first-seen order: each place stays visible. */
function sameErrors(findings: Finding[]): Finding[][] {
  const runs = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.checkId}\u0000${f.message}\u0000${f.fix}`;
    runs.set(key, [...(runs.get(key) ?? []), f]);
  }
  return [...runs.values()];
}

interface CheckGroup {
  checkId: string;
  findings: Finding[];
}

/** Findings of one check in one area, in the result's order (file, line), first seen first. */
function groupByCheck(findings: Finding[]): CheckGroup[] {
  const groups = new Map<string, CheckGroup>();
  for (const f of findings) {
    const group = groups.get(f.checkId) ?? { checkId: f.checkId, findings: [] };
    group.findings.push(f);
    groups.set(f.checkId, group);
  }
  return [...groups.values()];
}

function groupCount(findings: Finding[]): number {
  return new Set(findings.map((f) => `${f.area}\u0000${f.checkId}`)).size;
}

function groupLines(group: CheckGroup, c: Colors, width: number): string[] {
  const count = group.findings.length;
  const head = `${c.yellow(group.checkId)}${count > 1 ? ` ×${count}` : ''}  ${groupSummary(group)}`;
  return [...wrap(head, 4, width, 6), ...wrapList(groupPlaces(group.findings, c), 6, width)];
}

/**
 * The places of a group, one item per file with its lines (`src/a.ts:12,40`), the first few
 * files only, then "+N more in M files". Project-wide findings are "(project)".
 */
function groupPlaces(findings: Finding[], c: Colors): string[] {
  const lines = new Map<string, number[]>();
  for (const f of findings) {
    const key = f.file ?? '(project)';
    const own = lines.get(key) ?? [];
    if (f.line && !own.includes(f.line)) own.push(f.line);
    lines.set(key, own);
  }
  const files = [...lines.keys()];
  // "+1 more in 1 file" would take the room of the file itself.
  const listed = files.length === GROUP_FILES + 1 ? files.length : GROUP_FILES;
  const items = files.slice(0, listed).map((file) => {
    const own = lines.get(file)!;
    const shown = own.slice(0, GROUP_LINES_PER_FILE).join(',') + (own.length > GROUP_LINES_PER_FILE ? ` (+${own.length - GROUP_LINES_PER_FILE})` : '');
    return c.cyan(own.length ? `${file}:${shown}` : file);
  });
  if (files.length > listed) {
    const rest = files.slice(listed);
    const more = findings.filter((f) => rest.includes(f.file ?? '(project)')).length;
    items.push(c.dim(`+${more} more in ${rest.length} file${rest.length === 1 ? '' : 's'}`));
  }
  return items;
}

/**
 * What the group is about, said once: the message's first sentence when every finding shares it
 * (or there is one finding), else the check's one-line description from the registry.
 */
function groupSummary(group: CheckGroup): string {
  const sentences = new Set(group.findings.map((f) => firstSentence(f.message)));
  if (sentences.size === 1) return [...sentences][0]!;
  const description = DESCRIPTIONS.get(group.checkId) ?? firstSentence(group.findings[0]!.message);
  return /[.!?]$/.test(description) ? description : `${description}.`;
}
