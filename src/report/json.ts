// --format json: exactly the shape docs/reports.md documents (no absolute paths, no payload contents).
import type { ReviewResult } from '../engine/types.js';

export function renderJson(result: ReviewResult): string {
  const { root: _root, failOn: _failOn, ...rest } = result;
  return `${JSON.stringify(rest, null, 2)}\n`;
}
