// The project's Prometheus alerting rules: the files config.alerts.ruleFiles names, and any other
// YAML file whose content is a rule file (`groups:` with `alert:` / `expr:` rules) or a
// PrometheusRule resource (`spec.groups`). Real projects keep their rules in Helm chart templates
// and Kubernetes manifests under any name, so a name-only search says "no alert rules" about
// projects that have dozens. Helm templates hold `{{ ... }}` actions that are not YAML: lines that
// hold only actions are dropped and inline actions become a placeholder; when the result still is
// not YAML, the alerts are read line by line (`alert:` and the `expr:` of the same list item).

import { parseAllDocuments } from 'yaml';

export interface ProjectFiles {
  globProjectFiles(patterns: string[]): string[];
  readProjectFile(relativeOrAbsolute: string): string | undefined;
}

export interface AlertRule {
  /** Relative to the reviewed directory. */
  file: string;
  alert: string;
  expr: string;
}

export interface AlertRuleFiles {
  /** Every file read as a rule file: config matches and files found by content, sorted. */
  files: string[];
  /** The files that hold at least one alerting rule. */
  alertFiles: string[];
  rules: AlertRule[];
  /** Rule files whose alerts could not be read. */
  unreadable: { file: string; message: string }[];
}

/** What an inline template action becomes: a value no workflow type or metric name equals. */
export const TEMPLATE_PLACEHOLDER = '__template__';

const YAML_FILES = ['**/*.yml', '**/*.yaml'];
/** Third-party code kept in the repository: its rules are not the project's. */
const VENDORED = /(^|\/)(vendor|third_party|third-party|venv|site-packages|bower_components)\//;
const ALERT_LINE = /^[ \t]*(?:-[ \t]+)?alert[ \t]*:/m;
const EXPR_LINE = /^[ \t]*(?:-[ \t]+)?expr[ \t]*:/m;
const RULE_FILE_SHAPE = /^[ \t]*groups[ \t]*:|^[ \t]*kind[ \t]*:[ \t]*["']?PrometheusRule\b/m;
const ACTION = /\{\{.*?\}\}/g;
const ACTIONS_ONLY = /^[ \t]*(\{\{.*?\}\}[ \t]*)+$/;

export function scanAlertRuleFiles(files: ProjectFiles, patterns: string[]): AlertRuleFiles {
  const configured = new Set(files.globProjectFiles(patterns));
  const candidates = new Set(configured);
  for (const file of files.globProjectFiles(YAML_FILES)) {
    if (VENDORED.test(file) || configured.has(file)) continue;
    const text = files.readProjectFile(file);
    if (text !== undefined && looksLikeRuleFile(text)) candidates.add(file);
  }
  const scan: AlertRuleFiles = { files: [...candidates].sort(), alertFiles: [], rules: [], unreadable: [] };
  for (const file of scan.files) {
    const text = files.readProjectFile(file);
    if (text === undefined) {
      scan.unreadable.push({ file, message: 'cannot be read' });
      continue;
    }
    const read = readRules(text);
    if (read.error !== undefined) scan.unreadable.push({ file, message: read.error });
    for (const rule of read.rules) scan.rules.push({ file, ...rule });
    if (read.rules.length > 0) scan.alertFiles.push(file);
  }
  return scan;
}

function looksLikeRuleFile(text: string): boolean {
  return ALERT_LINE.test(text) && EXPR_LINE.test(text) && RULE_FILE_SHAPE.test(text);
}

/** The alerting rules of one file; `error` when some of it could not be read. */
export function readRules(text: string): { rules: { alert: string; expr: string }[]; error?: string } {
  const templated = text.includes('{{');
  const source = templated ? stripTemplate(text) : text;
  const rules: { alert: string; expr: string }[] = [];
  let yamlError: string | undefined;
  for (const document of parseAllDocuments(source)) {
    if (!('errors' in document)) continue;
    if (document.errors.length > 0) {
      yamlError = document.errors[0]!.message.split('\n')[0]!.replace(/:+$/, '');
      break;
    }
    rules.push(...alertRules(document.toJS()));
  }
  if (yamlError === undefined) return { rules };
  // Not YAML even without the template actions: read the alerts line by line.
  const byLines = rulesByLines(source);
  if (byLines.length > 0) return { rules: byLines };
  return { rules, error: templated ? `is a template whose alerts could not be read (${yamlError})` : `is not valid YAML (${yamlError})` };
}

/** Drops lines that hold only template actions and replaces inline actions with a placeholder. */
export function stripTemplate(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => (ACTIONS_ONLY.test(line) ? '' : line.replace(ACTION, TEMPLATE_PLACEHOLDER)))
    .join('\n');
}

function alertRules(node: unknown): { alert: string; expr: string }[] {
  if (Array.isArray(node)) return node.flatMap(alertRules);
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  if (typeof record.alert === 'string' && (typeof record.expr === 'string' || typeof record.expr === 'number')) {
    return [{ alert: record.alert, expr: String(record.expr) }];
  }
  return Object.values(record).flatMap(alertRules);
}

interface Line {
  indent: number;
  /** The text after the indentation and a list dash. */
  body: string;
  /** Column of the key, after a list dash. */
  keyColumn: number;
  dashed: boolean;
}

function parseLine(raw: string): Line | undefined {
  const match = /^( *)(-[ \t]+)?(.*)$/.exec(raw)!;
  const body = match[3]!.trimEnd();
  if (body === '' || body.startsWith('#')) return undefined;
  return { indent: match[1]!.length, body, keyColumn: match[1]!.length + (match[2]?.length ?? 0), dashed: match[2] !== undefined };
}

/** `alert:` keys and the `expr:` of the same list item, for text that does not parse as YAML. */
function rulesByLines(text: string): { alert: string; expr: string }[] {
  const raw = text.split('\n');
  const lines = raw.map(parseLine);
  const rules: { alert: string; expr: string }[] = [];
  lines.forEach((line, index) => {
    const key = line && /^alert[ \t]*:(.*)$/.exec(line.body);
    if (!line || !key) return;
    const column = line.keyColumn;
    const expr = exprOfItem(lines, raw, index, column, line.dashed);
    if (expr !== undefined) rules.push({ alert: unquote(key[1]!.trim()), expr });
  });
  return rules;
}

function exprOfItem(lines: (Line | undefined)[], raw: string[], at: number, column: number, dashed: boolean): string | undefined {
  // forward: keys of the same item sit at the same column, until something less indented
  for (let j = at + 1; j < lines.length; j++) {
    const line = lines[j];
    if (!line) continue;
    if (line.indent < column) break;
    if (line.indent === column && !line.dashed && line.body.startsWith('expr')) return exprValue(lines, raw, j, column);
  }
  if (dashed) return undefined;
  // backward, up to the dash that starts the item
  for (let j = at - 1; j >= 0; j--) {
    const line = lines[j];
    if (!line) continue;
    if (line.keyColumn === column && /^expr[ \t]*:/.test(line.body)) return exprValue(lines, raw, j, column);
    if (line.indent < column) break;
  }
  return undefined;
}

function exprValue(lines: (Line | undefined)[], raw: string[], at: number, column: number): string | undefined {
  const match = /^expr[ \t]*:(.*)$/.exec(lines[at]!.body);
  if (!match) return undefined;
  const first = match[1]!.replace(/[ \t]#.*$/, '').trim();
  const continuation: string[] = [];
  for (let j = at + 1; j < raw.length; j++) {
    const line = lines[j];
    if (line && line.indent <= column) break;
    continuation.push(raw[j]!.trim());
  }
  const block = /^[|>][-+0-9]*$/.test(first);
  const parts = [block ? '' : unquote(first), ...continuation].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(block && first.startsWith('|') ? '\n' : ' ') : undefined;
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2]!.replace(/\\(.)/g, '$1') : value;
}
