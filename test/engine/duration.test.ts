import { describe, expect, it } from 'vitest';
import { formatDuration, formatSize, parseDuration, parseSize } from '../../src/engine/duration.js';

describe('durations as the SDK reads them (TEMPORAL-FACTS section 2)', () => {
  it('reads numbers as milliseconds and strings through ms', () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('2 days')).toBe(172_800_000);
  });
  it('returns null where the SDK throws "Invalid duration string"', () => {
    expect(parseDuration('5 minuts')).toBeNull();
    expect(parseDuration('')).toBeNull();
  });
  it('formats durations and sizes for messages', () => {
    expect(formatDuration(100_000)).toBe('1m 40s');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatSize(2 * 1024 * 1024)).toBe('2 MiB');
    expect(parseSize('50KB')).toBe(50_000);
    expect(parseSize('512 KiB')).toBe(524_288);
    expect(parseSize('lots')).toBeNull();
  });
});
