// --format html: one self-contained file a lead can open offline and forward. Inline CSS, one
// inline script (the filters), charts as inline SVG; a Content-Security-Policy that forbids every
// request and every script but that one, so even a string that slipped past escaping cannot run.

import { createHash } from 'node:crypto';
import type { ReviewResult } from '../../engine/types.js';
import { escapeHtml, html } from './escape.js';
import { evidenceSections } from './evidence-sections.js';
import { FILTER_SCRIPT } from './filter-script.js';
import { findingsSection, notesSection } from './findings-section.js';
import { areaCards, verdictHeader } from './scorecard-section.js';
import { STYLES } from './styles.js';

export function renderHtml(result: ReviewResult): string {
  const scriptHash = createHash('sha256').update(FILTER_SCRIPT).digest('base64');
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src 'sha256-${scriptHash}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const body = html`<main>
${verdictHeader(result)}
${areaCards(result)}
${findingsSection(result)}
${evidenceSections(result)}
${notesSection(result)}
<footer>${result.tool.name} ${result.tool.version} · a self-contained report: it makes no network request and opens offline.</footer>
</main>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(`${result.tool.name} ${result.tool.version}`)}">
<title>${escapeHtml(`${result.verdict}: Temporal production-readiness review`)}</title>
<style>${STYLES}</style>
</head>
<body>
${body.text}
<script>${FILTER_SCRIPT}</script>
</body>
</html>
`;
}
