// Charts as inline SVG, generated here so the report needs no library and makes no request.
// Two shapes cover the report: a line chart (several series over a numeric x axis) and a
// horizontal bar chart against a reference line. Labels are escaped; numbers are rounded.

import { escapeHtml, trusted, type Markup } from './escape.js';

export interface LineSeries {
  name: string;
  color: string;
  /** y undefined breaks the line (e.g. an unstable queue). */
  points: { x: number; y: number | undefined; tip?: string }[];
  dashed?: boolean;
}

export interface ReferenceLine {
  value: number;
  label: string;
  color: string;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
  /** Clip the y axis here (values above run off the top). */
  yMax?: number;
  horizontal?: ReferenceLine[];
  vertical?: ReferenceLine[];
  /** Draw a dot at each point (with its tooltip). */
  dots?: boolean;
  /** Tick positions on the x axis (default: round numbers). */
  xTicks?: (min: number, max: number) => number[];
}

const WIDTH = 960;
const HEIGHT = 340;
const PAD = { left: 72, right: 24, top: 20, bottom: 52 };

export function lineChart(spec: LineChartSpec): Markup {
  const fx = spec.formatX ?? formatNumber;
  const fy = spec.formatY ?? formatNumber;
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = spec.series.flatMap((s) => s.points.flatMap((p) => (p.y === undefined ? [] : [p.y])));
  const refY = (spec.horizontal ?? []).map((h) => h.value);
  const xTicks = (spec.xTicks ?? ((a: number, b: number) => niceTicks(a, b, 8)))(Math.min(...xs), Math.max(...xs));
  const yTop = spec.yMax ?? Math.max(...ys, ...refY, 0);
  const yTicks = niceTicks(0, yTop > 0 ? yTop : 1, 5);
  const x0 = xTicks[0]!;
  const x1 = xTicks.at(-1)!;
  const y1 = yTicks.at(-1)!;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const sy = (y: number) => PAD.top + plotH - (y / (y1 || 1)) * plotH;
  const clipId = `clip-${slug(spec.title)}`;

  const parts: string[] = [];
  parts.push(`<defs><clipPath id="${clipId}"><rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`);
  for (const t of yTicks) {
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${r(sy(t))}" y2="${r(sy(t))}"/>`);
    parts.push(`<text class="tick" x="${PAD.left - 8}" y="${r(sy(t)) + 4}" text-anchor="end">${escapeHtml(fy(t))}</text>`);
  }
  for (const t of xTicks) {
    parts.push(`<text class="tick" x="${r(sx(t))}" y="${HEIGHT - PAD.bottom + 18}" text-anchor="middle">${escapeHtml(fx(t))}</text>`);
  }
  parts.push(`<line class="axis" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}"/>`);
  parts.push(`<text class="axis-label" x="${PAD.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`);
  parts.push(`<text class="axis-label" transform="translate(14 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`);

  for (const h of spec.horizontal ?? []) {
    if (h.value > y1) continue;
    const y = r(sy(h.value));
    parts.push(`<line class="ref" stroke="${h.color}" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="ref-label" fill="${h.color}" x="${WIDTH - PAD.right - 4}" y="${y - 6}" text-anchor="end">${escapeHtml(h.label)}</text>`);
  }
  for (const v of spec.vertical ?? []) {
    const x = r(sx(v.value));
    parts.push(`<line class="ref" stroke="${v.color}" x1="${x}" x2="${x}" y1="${PAD.top}" y2="${PAD.top + plotH}"/>`);
    parts.push(`<text class="ref-label" fill="${v.color}" x="${x + 6}" y="${PAD.top + 12}">${escapeHtml(v.label)}</text>`);
  }

  parts.push(`<g clip-path="url(#${clipId})">`);
  for (const s of spec.series) {
    const d = pathData(s.points, sx, sy);
    if (d) parts.push(`<path class="series${s.dashed ? ' dashed' : ''}" stroke="${s.color}" d="${d}"><title>${escapeHtml(s.name)}</title></path>`);
  }
  parts.push('</g>');
  if (spec.dots) {
    for (const s of spec.series) {
      for (const p of s.points) {
        if (p.y === undefined || p.y > y1) continue;
        parts.push(`<circle class="dot" fill="${s.color}" cx="${r(sx(p.x))}" cy="${r(sy(p.y))}" r="3.5"><title>${escapeHtml(p.tip ?? `${fx(p.x)}: ${fy(p.y)}`)}</title></circle>`);
      }
    }
  }
  const legend = spec.series
    .map((s) => `<span class="legend-item"><span class="swatch${s.dashed ? ' dashed' : ''}" style="--c:${s.color}"></span>${escapeHtml(s.name)}</span>`)
    .join('');
  return trusted(
    `<figure class="chart"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}"><title>${escapeHtml(spec.title)}</title>${parts.join('')}</svg>` +
      `<figcaption class="legend">${legend}</figcaption></figure>`,
  );
}

export interface BarRow {
  label: string;
  value: number;
  /** Where the budget sits for this row. */
  reference: number;
  tip: string;
}

/** Horizontal bars, one a row, each against its own reference mark (the budget). */
export function barChart(spec: { title: string; rows: BarRow[]; format: (v: number) => string; referenceLabel: string }): Markup {
  const rowH = 34;
  const labelW = 220;
  const valueW = 90;
  const top = 8;
  const height = top + spec.rows.length * rowH + 28;
  const max = Math.max(...spec.rows.map((row) => Math.max(row.value, row.reference))) * 1.05;
  const plotW = WIDTH - labelW - valueW - 16;
  const sx = (v: number) => labelW + (v / (max || 1)) * plotW;
  const parts: string[] = [];
  spec.rows.forEach((row, i) => {
    const y = top + i * rowH;
    const over = row.value > row.reference;
    parts.push(`<g><title>${escapeHtml(row.label)}</title><text class="bar-label" x="${labelW - 10}" y="${y + 21}" text-anchor="end">${escapeHtml(truncate(row.label, 30))}</text></g>`);
    parts.push(`<rect class="bar-track" x="${labelW}" y="${y + 6}" width="${plotW}" height="20" rx="4"/>`);
    parts.push(`<rect class="bar ${over ? 'over' : 'under'}" x="${labelW}" y="${y + 6}" width="${r(Math.max(2, sx(row.value) - labelW))}" height="20" rx="4"><title>${escapeHtml(row.tip)}</title></rect>`);
    parts.push(`<line class="budget" x1="${r(sx(row.reference))}" x2="${r(sx(row.reference))}" y1="${y + 2}" y2="${y + 30}"/>`);
    parts.push(`<text class="bar-value${over ? ' over' : ''}" x="${WIDTH - 8}" y="${y + 21}" text-anchor="end">${escapeHtml(spec.format(row.value))}</text>`);
  });
  const legendY = top + spec.rows.length * rowH + 18;
  parts.push(`<line class="budget" x1="${labelW}" x2="${labelW}" y1="${legendY - 10}" y2="${legendY + 4}"/>`);
  parts.push(`<text class="tick" x="${labelW + 8}" y="${legendY + 2}">${escapeHtml(spec.referenceLabel)}</text>`);
  return trusted(
    `<figure class="chart"><svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(spec.title)}"><title>${escapeHtml(spec.title)}</title>${parts.join('')}</svg></figure>`,
  );
}

function pathData(points: LineSeries['points'], sx: (x: number) => number, sy: (y: number) => number): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p.y === undefined) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${r(sx(p.x))} ${r(sy(p.y))}`;
    pen = true;
  }
  return d;
}

/** Ticks for a time axis in seconds: whole seconds, minutes or hours. */
export function timeTicks(min: number, max: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  const step = steps.find((s) => (max - min) / s <= 10) ?? (max - min) / 10;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step) * step; t < max + step * 0.999; t += step) ticks.push(t);
  return ticks;
}

/** Round tick values: 1, 2 or 5 times a power of ten, covering [min, max]. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) max = min + 1;
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let t = start; t < max + step * 0.999; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export function formatNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function trim(n: number): string {
  return String(Number(n.toFixed(Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2)));
}

function r(n: number): number {
  return Math.round(n * 10) / 10;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'chart';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
