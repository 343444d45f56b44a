// Finds Python loops that poll a workflow's status with `handle.describe()` and leave only on some of
// the closed statuses: a run that ends in one the loop does not name (TIMED_OUT after an execution
// timeout, CANCELED after a cancel) keeps the loop polling forever, and whatever waits for it never
// learns the run ended. Read from the source text, line by line, and kept narrow: any exit the
// reader cannot tie to a named status (a bare break, an `else:`, a `!= RUNNING` test, a bound on
// time or iterations, a comparison it cannot read) means no finding.

import { pythonModelOf } from '../../model/python/python-model-of.js';
import { defineCheck } from '../define-check.js';

const CLOSED = ['COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'TIMED_OUT', 'CONTINUED_AS_NEW'] as const;
const KNOWN = new Set<string>([...CLOSED, 'RUNNING']);

interface Line {
  text: string;
  indent: number;
  blank: boolean;
}

export interface StatusPollLoop {
  line: number;
  column: number;
  handled: string[];
  missing: string[];
  /** Lines of exits under a test that does not read the status (`if not record: break`). */
  sideExits: number[];
}

function splitLines(text: string): Line[] {
  return text.split(/\r?\n/).map((raw) => {
    const stripped = raw.replace(/\s+$/, '');
    const body = stripped.trimStart();
    return { text: body, indent: stripped.length - body.length, blank: body === '' || body.startsWith('#') };
  });
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The statuses a comparison's right-hand side names, or undefined when it is anything else. */
function statusesOf(value: string): string[] | undefined {
  const v = value.trim().replace(/^[([{]|[)\]}]$/g, '').trim();
  const parts = v.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return undefined;
  const out: string[] = [];
  for (const part of parts) {
    const m = /^(?:(?:[\w]+\.)?WorkflowExecutionStatus\.([A-Z_]+)|["']([A-Z_]+)["'])$/.exec(part);
    const name = m?.[1] ?? m?.[2];
    if (!name || !KNOWN.has(name)) return undefined;
    out.push(name);
  }
  return out;
}

/**
 * A branch condition: the statuses it tests for equality (`s == X`, `s in (X, Y)`, joined by `or`),
 * 'other' when it does not mention the status, 'unreadable' when it does in another way.
 */
function readCondition(cond: string, status: RegExp): string[] | 'other' | 'unreadable' {
  if (!status.test(cond)) return 'other';
  let c = cond.trim();
  while (c.startsWith('(') && c.endsWith(')')) c = c.slice(1, -1).trim();
  const statuses: string[] = [];
  for (const term of c.split(/\s+or\s+/)) {
    const m = new RegExp(`^\\(?\\s*(?:${status.source})\\s*(==|is|in)\\s+(.+?)\\s*\\)?$`).exec(term.trim());
    if (!m || /\b(and|not)\b/.test(term)) return 'unreadable';
    const names = statusesOf(m[1] === 'in' ? m[2]! : m[2]!);
    if (!names || (m[1] !== 'in' && names.length !== 1)) return 'unreadable';
    statuses.push(...names);
  }
  return statuses;
}

const BOUND = /\b(deadline|timeout|time_?out|elapsed|attempts?|tries|retries|max_\w+|limit|monotonic|time\.time|loop\.time|datetime\.now|utcnow)\b|[<>]=?/i;

export function statusPollLoops(text: string): StatusPollLoop[] {
  const lines = splitLines(text);
  const found: StatusPollLoop[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const head = lines[i]!;
    const loop = /^while\s+(.+?):\s*(#.*)?$/.exec(head.text);
    if (!loop || head.blank) continue;
    const cond = loop[1]!.trim();
    const doneFlag = /^not\s+(?:self\.)?(\w+)$/.exec(cond)?.[1];
    if (!/^(True|1)$/.test(cond) && !doneFlag) continue;
    // the body: the lines indented deeper than the while
    let end = i + 1;
    while (end < lines.length && (lines[end]!.blank || lines[end]!.indent > head.indent)) end += 1;
    const body = lines.slice(i + 1, end).map((l, k) => ({ ...l, index: i + 1 + k })).filter((l) => !l.blank);
    if (body.length === 0) continue;
    // the status read: (await h.describe()).status[.name], or d = await h.describe() then d.status
    const names: string[] = [];
    const descVars: string[] = [];
    let descriptions = 0;
    for (const l of body) {
      const direct = /^(\w+)\s*=\s*\(\s*await\s+[\w.[\]"']+\.describe\(\s*\)\s*\)\.status(?:\.name)?\s*$/.exec(l.text);
      if (direct) names.push(escape(direct[1]!));
      const desc = /^(\w+)\s*=\s*await\s+[\w.[\]"']+\.describe\(\s*\)\s*$/.exec(l.text);
      if (desc) {
        names.push(`${escape(desc[1]!)}\\.status`);
        descVars.push(escape(desc[1]!));
      }
      if (/\.describe\(/.test(l.text)) descriptions += 1;
    }
    if (names.length === 0 || descriptions === 0) continue;
    for (const l of body) {
      const alias = new RegExp(`^(\\w+)\\s*=\\s*(?:${names.join('|')})(?:\\.name)?\\s*$`).exec(l.text);
      if (alias) names.push(escape(alias[1]!));
    }
    const status = new RegExp(`(?<![\\w.'"])(?:${names.join('|')})(?:\\.name)?(?![\\w('"])`);
    if (/\b(asyncio\.timeout|wait_for)\b/.test(body.map((l) => l.text).join('\n'))) continue;
    if (body.some((l) => /^match\s/.test(l.text) && status.test(l.text))) continue;
    // every branch header on the status, by line
    const branches = new Map<number, string[] | 'other'>();
    let unreadable = false;
    for (const l of body) {
      const m = /^(if|elif|while)\s+(.+?):\s*(#.*)?$/.exec(l.text);
      if (!m) {
        // the status used in a test outside an if header (an assignment of a comparison, a ternary)
        if (status.test(l.text) && /(==|!=|\bin\b|\bis\b)/.test(l.text.replace(/f?["'][^"']*["']/g, '""')) && !/^\w+\s*=\s*\(?\s*await/.test(l.text)) unreadable = true;
        continue;
      }
      const read = readCondition(m[2]!, status);
      if (read === 'unreadable') unreadable = true;
      // the description read another way (close_time, a helper): cannot tell
      else if (read === 'other' && descVars.length && new RegExp(`\\b(?:${descVars.join('|')})\\b`).test(m[2]!)) unreadable = true;
      else if (m[1] !== 'while') branches.set(l.index, read);
      if (Array.isArray(read) && read.includes('RUNNING') && read.length > 1) unreadable = true;
    }
    if (unreadable) continue;
    // every exit: break (not inside an inner loop), return, raise, or setting the loop's flag
    const handled = new Set<string>();
    let generic = false;
    let exits = 0;
    const sideExits: number[] = [];
    for (const l of body) {
      const isExit =
        l.text === 'break' || /^(return|raise)\b/.test(l.text) || (doneFlag !== undefined && new RegExp(`^(?:self\\.)?${doneFlag}\\s*=\\s*True\\b`).test(l.text));
      if (!isExit) continue;
      // the headers enclosing this line, innermost first
      let indent = l.indent;
      let inExcept = false;
      let innerLoop = false;
      let innerDef = false;
      let statuses: string[] | undefined;
      let elseOfStatus = false;
      let underOther = false;
      let bounded = false;
      for (let k = l.index - 1; k > i; k -= 1) {
        const h = lines[k]!;
        if (h.blank || h.indent >= indent) continue;
        indent = h.indent;
        if (/^(except|finally)\b/.test(h.text)) inExcept = true;
        if (/^(for|while|async\s+for)\b/.test(h.text)) innerLoop = true;
        if (/^(async\s+)?def\b/.test(h.text)) innerDef = true;
        const branch = branches.get(k);
        if (Array.isArray(branch) && !statuses) statuses = branch;
        if (branch === 'other' || (/^else\s*:/.test(h.text) && !statuses)) underOther = true;
        // an exit under a test of time or a count: the loop is bounded
        if (branch === 'other' && BOUND.test(h.text)) bounded = true;
        if (/^else\s*:/.test(h.text) && !statuses) {
          // the chain this else closes: any status branch at its indent above it means a generic exit
          for (let j = k - 1; j > i; j -= 1) {
            const p = lines[j]!;
            if (p.blank || p.indent > h.indent) continue;
            if (p.indent < h.indent) break;
            if (Array.isArray(branches.get(j))) elseOfStatus = true;
            if (/^if\b/.test(p.text)) break;
          }
        }
      }
      if (inExcept || innerDef) continue;
      if (innerLoop && l.text === 'break') continue;
      exits += 1;
      if (bounded) generic = true;
      else if (statuses && !elseOfStatus) for (const s of statuses) handled.add(s);
      else if (underOther && !elseOfStatus) sideExits.push(l.index + 1);
      else generic = true;
    }
    if (generic || exits === 0 || handled.size === 0) continue;
    const missing = CLOSED.filter((s) => !handled.has(s));
    if (missing.length === 0) continue;
    found.push({ line: i + 1, column: head.indent + 1, handled: CLOSED.filter((s) => handled.has(s)), missing, sideExits });
  }
  return found;
}

/** What in the project sets the statuses a loop misses (from the start options and calls it can see). */
function causes(texts: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const all = texts.join('\n');
  if (/\b(start_workflow|execute_workflow)\([\s\S]{0,800}?\bexecution_timeout\s*=/.test(all)) out.set('TIMED_OUT', 'a start in this project sets execution_timeout');
  else if (/\b(start_workflow|execute_workflow)\([\s\S]{0,800}?\brun_timeout\s*=/.test(all)) out.set('TIMED_OUT', 'a start in this project sets run_timeout');
  if (/\b\w*handle\w*\s*\.\s*cancel\(|get_workflow_handle(?:_for)?\([^)]*\)\s*\.\s*cancel\(/.test(all)) out.set('CANCELED', 'this project cancels workflows (handle.cancel())');
  if (/\bcontinue_as_new\(/.test(all)) out.set('CONTINUED_AS_NEW', 'a workflow in this project continues as new');
  return out;
}

export default defineCheck({
  id: 'workflow-status-poll-incomplete',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A loop polls a workflow status with describe() and leaves only on some of the closed statuses: a run that times out or is canceled keeps it polling forever',
  run(ctx) {
    const model = pythonModelOf(ctx.model);
    if (!model) return;
    const texts = model.files.map((file) => ctx.readProjectFile(file) ?? '');
    const setBy = causes(texts);
    model.files.forEach((file, n) => {
      const text = texts[n]!;
      if (!text.includes('.describe(')) return;
      for (const found of statusPollLoops(text)) {
        // a run ends CONTINUED_AS_NEW only when a workflow continues as new: not asked of loops in projects without one
        const missing = found.missing.filter((s) => s !== 'CONTINUED_AS_NEW' || setBy.has(s));
        if (missing.length === 0) continue;
        const loop = { ...found, missing };
        const visible = loop.missing.filter((s) => setBy.has(s)).map((s) => `${s} (${setBy.get(s)})`);
        ctx.report({
          location: { file, line: loop.line, column: loop.column },
          message:
            `This loop polls the workflow's status with describe() and leaves only when it is ${loop.handled.join(', ')}; ` +
            `it has no exit for ${loop.missing.join(', ')}` +
            (visible.length ? `, and this project can end a run that way: ${visible.join('; ')}` : '') +
            `. A run that closes with a status the loop does not name keeps it polling forever, and what waits for the loop never sees the run end` +
            (loop.sideExits.length ? ` (its other exit${loop.sideExits.length > 1 ? 's, lines' : ', line'} ${loop.sideExits.join(', ')}, test${loop.sideExits.length > 1 ? '' : 's'} something other than the status).` : '.'),
          fix:
            `Leave the loop on any status other than RUNNING (if status != WorkflowExecutionStatus.RUNNING: ...), or add the missing statuses to the exit branches; ` +
            `or wait with await handle.result(), which raises for a failed, canceled, terminated or timed-out run.`,
          data: { handled: loop.handled, missing: loop.missing },
        });
      }
    });
  },
});
