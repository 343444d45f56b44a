// Durations the way the Temporal TypeScript SDK reads them (TEMPORAL-FACTS.md section 2): a
// number is milliseconds, a string goes through the `ms` package, and an unparsable string is
// a TypeError at run time. We use the same `ms` package so the verdicts match the SDK's.

import ms from 'ms';

/** Milliseconds for a duration as the SDK would compute it, or null when the SDK would throw. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  let millis: number | undefined;
  try {
    millis = (ms as unknown as (s: string) => number | undefined)(value);
  } catch {
    // ms throws for an empty string; the SDK passes that error on, so it is rejected too
    return null;
  }
  if (millis == null || Number.isNaN(millis)) return null;
  return millis;
}

/** Human-readable duration for messages: 1500 -> "1.5s", 90000 -> "1m 30s". */
export function formatDuration(millis: number): string {
  if (!Number.isFinite(millis)) return 'unlimited';
  if (millis < 1000) return `${Math.round(millis)}ms`;
  const totalSeconds = millis / 1000;
  if (totalSeconds < 60) return `${trim(totalSeconds)}s`;
  const parts: string[] = [];
  let rest = Math.round(totalSeconds);
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]];
  for (const [unit, size] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.slice(0, 2).join(' ');
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}

const SIZE_UNITS: Record<string, number> = {
  b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};

/** Bytes for '50KB', '2 MiB', '512kib' or a plain number of bytes; null when unreadable. */
export function parseSize(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!match) return null;
  const unit = (match[2] || 'b').toLowerCase();
  const factor = SIZE_UNITS[unit];
  return factor === undefined ? null : Number(match[1]) * factor;
}

/** Human-readable size: 1536 -> "1.5 KiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}
