// Compact Unicode charts for the terminal: columns of eighth-blocks on a log scale, because retry
// storms span bursts of a million attempts and quiet stretches of a few.

const EIGHTHS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Reduces a series of [x, y] points to `width` columns, keeping the largest y in each so that a
 * one-second burst stays visible.
 */
export function columnPeaks(series: readonly (readonly [number, number])[], width: number, xMax: number): number[] {
  const columns = new Array<number>(width).fill(0);
  for (const [x, y] of series) {
    const column = Math.min(width - 1, Math.floor((x / Math.max(xMax, 1e-9)) * width));
    if (y > columns[column]!) columns[column] = y;
  }
  return columns;
}

/** Height in eighths of a cell for `value` on a log10 scale whose top is `max`. */
export function logLevel(value: number, max: number, height: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  const level = (Math.log10(value + 1) / Math.log10(max + 1)) * height * 8;
  return Math.max(1, Math.round(level));
}

/** Rows of a column chart, top row first. */
export function columnChart(values: readonly number[], max: number, height: number): string[] {
  const levels = values.map((v) => logLevel(v, max, height));
  const rows: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    rows.push(levels.map((level) => EIGHTHS[Math.max(0, Math.min(8, level - row * 8))]).join(''));
  }
  return rows;
}

/** A horizontal bar of up to `width` cells for value/max on a log scale, in eighths. */
export function horizontalBar(value: number, max: number, width: number): string {
  if (!Number.isFinite(value)) return '█'.repeat(width) + '…';
  const eighths = logLevel(value, max, width);
  const PARTIAL = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  return '█'.repeat(Math.floor(eighths / 8)) + PARTIAL[eighths % 8];
}

/** "1.2M", "45k", "950": short counts for axis labels. */
export function shortCount(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  if (n >= 1e6) return `${trim(n / 1e6)}M`;
  if (n >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function trim(n: number): string {
  return n >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, '');
}
