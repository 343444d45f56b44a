// Turns the one JSON report of the Action's review into what GitHub shows, with the reporters of
// the Action's own build (so the SARIF, the summary and the comment come from the same run):
//   - the SARIF for code scanning, made to fit GitHub: every URI prefixed with the reviewed
//     directory (GitHub reads them from the repository root) and project-wide results anchored at
//     the directory's package.json or tsconfig.json (GitHub rejects a result without a location);
//   - the Markdown report, appended to the job summary, file links pointing at the commit;
//   - the body of the sticky pull-request comment (pr-comment.mjs posts it).
// When the review could not run (exit 2, a crash, no report) it says so in all three places and
// writes no SARIF. Plain JavaScript: it runs unbuilt from the Action's checkout.
//
// Environment: PREFLIGHT_REPORT (JSON report), PREFLIGHT_STATUS (the CLI's exit code),
// PREFLIGHT_ERROR (its last stderr line when it could not run), PREFLIGHT_PATH, PREFLIGHT_FAIL_ON,
// PREFLIGHT_CATEGORY, PREFLIGHT_SARIF_ABS, PREFLIGHT_SUMMARY, PREFLIGHT_COMMENT_FILE,
// PREFLIGHT_VERDICT_FILE, GITHUB_WORKSPACE, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_RUN_ID.
import fs from 'node:fs';
import path from 'node:path';
import { escapeMarkdown, encodePath } from '../dist/report/markdown-escape.js';
import { renderMarkdown } from '../dist/report/markdown.js';
import { renderSarif } from '../dist/report/sarif.js';
import { firstSentence } from '../dist/report/text-layout.js';
import { escapeCommand } from './github-api.mjs';

const env = process.env;
const dir = env.PREFLIGHT_PATH || '.';
const category = env.PREFLIGHT_CATEGORY || 'temporal-preflight';
const workspace = env.GITHUB_WORKSPACE || process.cwd();
const server = env.GITHUB_SERVER_URL || 'https://github.com';
const repository = env.GITHUB_REPOSITORY || '';
const runUrl = repository && env.GITHUB_RUN_ID ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : '';
/** The reviewed directory relative to the repository root, "" for the root itself. */
const prefix = path.relative(fs.realpathSync(workspace), safeRealpath(path.resolve(workspace, dir))).split(path.sep).join('/');
const linkBase = repository && env.GITHUB_SHA ? `${server}/${repository}/blob/${env.GITHUB_SHA}/${prefix ? `${encodePath(prefix)}/` : ''}` : '';
/** Marks the Action's comment, one per category, so a later run finds and updates it. */
const MARKER = `<!-- temporal-preflight:${category} -->`;
const COMMENT_FINDINGS = 10;
const STATUS = { fail: '❌ FAIL', warn: '⚠️ WARN', pass: '✅ PASS', 'not-verified': '➖ NOT VERIFIED' };
const SEVERITY = { error: '🔴', warning: '🟡', info: '🔵' };

const result = readReport();
if (!result) {
  const status = env.PREFLIGHT_STATUS || '2';
  const error = env.PREFLIGHT_ERROR || 'the review wrote no report';
  console.log(`::error title=temporal-preflight could not run::${escapeCommand(`${error} (exit ${status}; this is not a NO-GO verdict: the review did not run)`)}`);
  fs.appendFileSync(env.PREFLIGHT_SUMMARY, `## Temporal production readiness: ⚠️ could not run\n\n${couldNotRunText(status, error)}\n`);
  fs.writeFileSync(env.PREFLIGHT_COMMENT_FILE, `${MARKER}\n### temporal-preflight${where()}: ⚠️ could not run\n\n${couldNotRunText(status, error)}${runUrl ? `\n\n[Run log](${runUrl})` : ''}\n`);
  fs.writeFileSync(env.PREFLIGHT_VERDICT_FILE, 'could-not-run');
} else {
  writeSarif(result);
  fs.appendFileSync(env.PREFLIGHT_SUMMARY, renderMarkdown(result, linkBase ? { linkBase } : {}));
  fs.writeFileSync(env.PREFLIGHT_COMMENT_FILE, commentBody(result));
  fs.writeFileSync(env.PREFLIGHT_VERDICT_FILE, result.verdict);
}

/** The JSON report as a review result, or undefined when the run left none (or garbage). */
function readReport() {
  const status = Number(env.PREFLIGHT_STATUS || '0');
  if (status > 1 || !env.PREFLIGHT_REPORT || !fs.existsSync(env.PREFLIGHT_REPORT)) return undefined;
  try {
    const report = JSON.parse(fs.readFileSync(env.PREFLIGHT_REPORT, 'utf8'));
    if (!report || !Array.isArray(report.findings) || !Array.isArray(report.areas)) return undefined;
    return { ...report, root: dir, failOn: env.PREFLIGHT_FAIL_ON === 'warning' ? 'warning' : 'error', diagnostics: report.diagnostics ?? [] };
  } catch {
    return undefined;
  }
}

function couldNotRunText(status, error) {
  return `\`temporal-preflight check\` in \`${escapeMarkdown(dir)}\` could not run (exit ${status}): ${escapeMarkdown(error)}\n\nThere is no verdict: this is not a NO-GO. Fix the error and run again.`;
}

function writeSarif(review) {
  const log = JSON.parse(renderSarif(review));
  const run = log.runs[0];
  // The category tells several reviews in one repository apart (SARIF runAutomationDetails).
  run.automationDetails = { id: `${category}/` };
  const anchor = ['package.json', 'tsconfig.json'].find((name) => fs.existsSync(path.join(workspace, dir, name)));
  const encodedPrefix = prefix ? `${encodePath(prefix)}/` : '';
  const relocate = (location) => {
    const artifact = location?.physicalLocation?.artifactLocation;
    if (artifact && artifact.uriBaseId === '%SRCROOT%') artifact.uri = `${encodedPrefix}${artifact.uri}`;
  };
  const kept = [];
  for (const entry of run.results) {
    for (const location of entry.locations ?? []) relocate(location);
    for (const location of entry.relatedLocations ?? []) relocate(location);
    if (!entry.locations?.length) {
      if (!anchor) {
        console.log(`::warning title=temporal-preflight::left out of code scanning (no package.json or tsconfig.json in '${escapeCommand(dir)}' to show it at): ${entry.ruleId}`);
        continue;
      }
      entry.locations = [
        {
          physicalLocation: { artifactLocation: { uri: `${encodedPrefix}${anchor}`, uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } },
          message: { text: 'Project-wide finding, shown at the project manifest.' },
        },
      ];
      entry.properties = { ...entry.properties, projectWide: true };
    }
    kept.push(entry);
  }
  run.results = kept;
  for (const notification of run.invocations?.[0]?.toolExecutionNotifications ?? []) {
    for (const location of notification.locations ?? []) relocate(location);
  }
  fs.mkdirSync(path.dirname(env.PREFLIGHT_SARIF_ABS), { recursive: true });
  fs.writeFileSync(env.PREFLIGHT_SARIF_ABS, `${JSON.stringify(log, null, 2)}\n`);
}

/** Compact: the verdict, one line per area, then the findings (errors first), then the link to the rest. */
function commentBody(review) {
  const count = (severity) => review.findings.filter((f) => f.severity === severity).length;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const baseline = review.scope?.baseline;
  const since = review.scope?.since;
  const lines = [
    MARKER,
    `### temporal-preflight${where()}: ${review.verdict === 'GO' ? '✅ GO' : '❌ NO-GO'}`,
    '',
    [
      `${plural(count('error'), baseline ? 'new error' : 'error')}, ${plural(count('warning'), baseline ? 'new warning' : 'warning')}, ${count('info')}${baseline ? ' new' : ''} info`,
      ...(baseline ? [`${baseline.known} known in the baseline`] : []),
      ...(since ? [`${since.outsideChange} outside the change since \`${escapeMarkdown(since.ref)}\``] : []),
      ...(review.failOn === 'warning' ? ['--fail-on warning'] : []),
    ].join(' · '),
    '',
    '| Area | Status | Findings |',
    '| --- | --- | --- |',
  ];
  for (const area of review.areas) {
    const counts = [area.errors ? plural(area.errors, 'error') : '', area.warnings ? plural(area.warnings, 'warning') : '', area.infos ? `${area.infos} info` : '']
      .filter(Boolean)
      .join(', ');
    const leftOut = [area.known ? `${area.known} known` : '', area.outsideChange ? `${area.outsideChange} outside the change` : ''].filter(Boolean).join(', ');
    lines.push(`| ${area.area} | ${STATUS[area.status] ?? area.status} | ${counts || 'none'}${leftOut ? ` (+${leftOut})` : ''} |`);
  }
  const shown = [...review.findings.filter((f) => f.severity === 'error'), ...review.findings.filter((f) => f.severity === 'warning')];
  if (shown.length) {
    lines.push('', baseline ? '**New findings**' : '**Findings**', '');
    for (const f of shown.slice(0, COMMENT_FINDINGS)) {
      const place = f.file ? fileLink(f) : '(project)';
      lines.push(`- ${SEVERITY[f.severity]} ${place} \`${f.checkId}\`: ${escapeMarkdown(firstSentence(f.message))}`);
    }
    if (shown.length > COMMENT_FINDINGS) lines.push(`- … and ${shown.length - COMMENT_FINDINGS} more`);
  }
  if (runUrl) lines.push('', `[Full report](${runUrl}) in the job summary.`);
  return `${lines.join('\n')}\n`;
}

function fileLink(f) {
  const text = escapeMarkdown(`${f.file}${f.line ? `:${f.line}` : ''}`);
  return linkBase ? `[${text}](${linkBase}${encodePath(f.file)}${f.line ? `#L${f.line}` : ''})` : text;
}

function where() {
  return prefix ? ` (\`${escapeMarkdown(prefix)}\`)` : '';
}

function safeRealpath(file) {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
