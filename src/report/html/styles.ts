// The report's stylesheet, inlined: system fonts only (no web fonts to fetch), print-friendly.

export const STYLES = `
:root {
  --ink: #101828; --ink-2: #475467; --ink-3: #667085; --line: #e4e7ec; --bg: #f5f6f8; --panel: #fff;
  --red: #d92d20; --red-bg: #fef3f2; --red-line: #fecdca;
  --amber: #b54708; --amber-bg: #fffaeb; --amber-line: #fedf89;
  --green: #067647; --green-bg: #ecfdf3; --green-line: #abefc6;
  --blue: #175cd3; --blue-bg: #eff8ff; --blue-line: #b2ddff;
  --grey-bg: #f2f4f7;
  color-scheme: light;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; }
code, .where { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.86em; }
main { max-width: 1080px; margin: 0 auto; padding: 0 24px 48px; }
h1, h2 { margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 1.15rem; }
a { color: var(--blue); text-decoration: none; }
a:hover { text-decoration: underline; }

.hero { display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; flex-wrap: wrap;
  margin: 0 0 24px; padding: 36px 0 28px; border-bottom: 1px solid var(--line); }
.stats { display: flex; gap: 10px; margin: 0; }
.stat { min-width: 92px; padding: 10px 14px; border-radius: 10px; background: var(--panel); border: 1px solid var(--line); text-align: center; }
.stat dt { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.06em; color: var(--ink-3); font-weight: 600; }
.stat dd { margin: 0; font-size: 1.9rem; font-weight: 750; line-height: 1.2; font-variant-numeric: tabular-nums; }
.stat.error dd { color: var(--red); } .stat.warning dd { color: var(--amber); } .stat.info dd { color: var(--blue); }
.stat.zero dd { color: #98a2b3; }
body:has(.hero.no-go) { background: linear-gradient(180deg, #fff1f0 0, var(--bg) 260px) no-repeat, var(--bg); }
body:has(.hero.go) { background: linear-gradient(180deg, #ecfdf3 0, var(--bg) 260px) no-repeat, var(--bg); }
.eyebrow { margin: 0 0 6px; text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.78rem; font-weight: 600; color: var(--ink-3); }
.verdict { display: inline-block; padding: 4px 18px; border-radius: 10px; font-size: 2.6rem; font-weight: 800; letter-spacing: 0.02em; color: #fff; }
.no-go .verdict { background: var(--red); }
.go .verdict { background: #12b76a; }
.headline { margin: 14px 0 4px; font-size: 1.25rem; font-weight: 600; }
.sub { margin: 0; color: var(--ink-2); }

.cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 14px; margin-bottom: 24px; }
@media (max-width: 820px) { .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@media (max-width: 560px) { .cards { grid-template-columns: 1fr; } main { padding: 0 14px 32px; } .panel { padding: 16px 14px; } }
.card { display: flex; flex-direction: column; gap: 6px; text-align: left; font: inherit; color: inherit; cursor: pointer;
  background: var(--panel); border: 1px solid var(--line); border-top: 4px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.card:hover { box-shadow: 0 2px 10px rgba(16, 24, 40, 0.08); }
.card.status-fail { border-top-color: var(--red); }
.card.status-warn { border-top-color: #f79009; }
.card.status-pass { border-top-color: #12b76a; }
.card.status-not-verified { border-top-color: #98a2b3; }
.card-top { display: flex; justify-content: space-between; align-items: center; }
.card-name { font-weight: 700; font-size: 1.05rem; text-transform: capitalize; }
.card-question { color: var(--ink-2); font-size: 0.9rem; }
.card-counts { display: flex; gap: 8px; flex-wrap: wrap; font-size: 0.85rem; font-weight: 600; }
.card-evidence, .card-note { color: var(--ink-3); font-size: 0.8rem; }
.card-note { font-style: italic; }
.count.error { color: var(--red); } .count.warning { color: var(--amber); } .count.info { color: var(--blue); } .count.none { color: var(--ink-3); font-weight: 500; }
.pill { white-space: nowrap; font-size: 0.75rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em; padding: 2px 8px; border-radius: 999px; }
.pill.status-fail { background: var(--red-bg); color: var(--red); border: 1px solid var(--red-line); }
.pill.status-warn { background: var(--amber-bg); color: var(--amber); border: 1px solid var(--amber-line); }
.pill.status-pass { background: var(--green-bg); color: var(--green); border: 1px solid var(--green-line); }
.pill.status-not-verified { background: var(--grey-bg); color: var(--ink-2); border: 1px solid var(--line); }

.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 20px 22px; margin-bottom: 20px; }
.panel-head { display: flex; justify-content: space-between; align-items: baseline; gap: 12px; margin-bottom: 8px; }
.shown { margin: 0; color: var(--ink-3); font-size: 0.88rem; }
.lede { margin: 0 0 12px; color: var(--ink-2); max-width: 70ch; }
.empty { color: var(--ink-3); }

.filters { display: flex; flex-direction: column; gap: 8px; padding: 10px 0 14px; border-bottom: 1px solid var(--line); }
.filter-group { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.filter-label { width: 84px; font-size: 0.8rem; font-weight: 600; color: var(--ink-3); text-transform: uppercase; letter-spacing: 0.05em; }
.chip { font: inherit; font-size: 0.85rem; display: inline-flex; align-items: center; gap: 6px; cursor: pointer; user-select: none;
  padding: 3px 11px; border-radius: 999px; border: 1px solid var(--line); background: #fff; color: var(--ink); }
.chip .n { color: var(--ink-3); font-size: 0.8em; }
.chip[aria-pressed="true"] { background: var(--ink); border-color: var(--ink); color: #fff; }
.chip[aria-pressed="true"] .n { color: #d0d5dd; }
.chip input { margin: 0; accent-color: var(--ink); }

.findings { list-style: none; margin: 0; padding: 0; }
.finding { padding: 14px 0 14px 14px; border-bottom: 1px solid var(--line); border-left: 3px solid transparent; }
.finding.sev-error { border-left-color: var(--red); }
.finding.sev-warning { border-left-color: #f79009; }
.finding.sev-info { border-left-color: #53b1fd; }
.finding[hidden] { display: none; }
.finding-head { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 10px; }
.sev { font-size: 0.72rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.04em; padding: 1px 7px; border-radius: 4px; }
.sev.sev-error { background: var(--red-bg); color: var(--red); }
.sev.sev-warning { background: var(--amber-bg); color: var(--amber); }
.sev.sev-info { background: var(--blue-bg); color: var(--blue); }
.where { color: var(--ink); font-weight: 600; word-break: break-all; }
.where.project { font-family: inherit; font-size: 0.9rem; font-style: italic; font-weight: 500; color: var(--ink-2); }
.area-tag { font-size: 0.78rem; color: var(--ink-3); }
.check { margin-left: auto; font-size: 0.82rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.message { margin: 6px 0 0; max-width: 90ch; overflow-wrap: anywhere; }
.fix { margin: 6px 0 0; max-width: 90ch; color: var(--ink-2); overflow-wrap: anywhere; }
.fix strong { color: var(--green); font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.05em; margin-right: 4px; }
.info-findings summary { cursor: pointer; padding: 12px 0; color: var(--ink-2); font-weight: 600; }
.related { margin: 6px 0 0; padding-left: 18px; color: var(--ink-3); font-size: 0.88rem; }

.chart { margin: 8px 0 12px; }
.chart svg { width: 100%; height: auto; display: block; font-family: inherit; }
.chart .grid { stroke: #eaecf0; }
.chart .axis { stroke: #98a2b3; }
.chart .tick { fill: var(--ink-3); font-size: 12px; }
.chart .axis-label { fill: var(--ink-2); font-size: 12px; }
.chart .series { fill: none; stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; }
.chart .series.dashed { stroke-dasharray: 7 5; }
.chart .ref { stroke-width: 1.5; stroke-dasharray: 4 4; }
.chart .ref-label { font-size: 12px; font-weight: 600; }
.chart .dot { stroke: #fff; stroke-width: 1.5; }
.chart .bar-label { fill: var(--ink); font-size: 13px; }
.chart .bar-track { fill: #f2f4f7; }
.chart .bar.under { fill: #53b1fd; }
.chart .bar.over { fill: #f97066; }
.chart .budget { stroke: var(--ink); stroke-width: 2; }
.chart .bar-value { fill: var(--ink-2); font-size: 13px; font-weight: 600; }
.chart .bar-value.over { fill: var(--red); }
.legend { display: flex; flex-wrap: wrap; gap: 16px; margin-top: 6px; font-size: 0.85rem; color: var(--ink-2); }
.legend-item { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 18px; height: 0; border-top: 3px solid var(--c); }
.swatch.dashed { border-top-style: dashed; }

table.data { width: 100%; border-collapse: collapse; font-size: 0.9rem; }
table.data th { text-align: left; font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--ink-3); border-bottom: 1px solid var(--line); padding: 6px 8px; }
table.data td { border-bottom: 1px solid #f2f4f7; padding: 6px 8px; overflow-wrap: anywhere; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.data tr.over td:first-child { color: var(--red); font-weight: 600; }
.muted { color: var(--ink-3); font-size: 0.85em; }

.notes summary { cursor: pointer; font-weight: 600; }
.notes ul { margin: 10px 0 0; color: var(--ink-2); }
footer { color: var(--ink-3); font-size: 0.82rem; text-align: center; padding-top: 8px; }
@media print { .filters { display: none; } .hero { background: none; } .card { break-inside: avoid; } .panel { break-inside: avoid-page; } }
`;
