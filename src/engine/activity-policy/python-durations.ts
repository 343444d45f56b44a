// Wording for a Python duration option given a number or a string instead of a timedelta
// (read-options.ts marks it 'not-a-timedelta'): the timedelta to write, and the SDK's error.

import { durationVerdict } from './duration-verdict.js';

/** `TypeError: Fail to convert ...` as `TypeError ('Fail to convert ...')`, to read inside a sentence. */
export function quoteError(error: string): string {
  const at = error.indexOf(': ');
  return at < 0 ? error : `${error.slice(0, at)} ('${error.slice(at + 2).replace(/'/g, '"')}')`;
}

/**
 * The timedelta a Python number or string most likely meant: seconds for a plain number (the unit
 * the SDK's own samples and most settings use), the string's own unit when it has one ('10m').
 */
export function timedeltaFor(written: string): string {
  const text = written.replace(/^['"]|['"]$/g, '').trim();
  if (/^\d+(\.\d+)?$/.test(text)) return `timedelta(seconds=${text})`;
  const verdict = durationVerdict(text);
  if (verdict.kind === 'duration' && verdict.ms >= 1000 && verdict.ms % 1000 === 0) return `timedelta(seconds=${verdict.ms / 1000})`;
  if (verdict.kind === 'duration') return `timedelta(milliseconds=${verdict.ms})`;
  return 'timedelta(seconds=...)';
}
