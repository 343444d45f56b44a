// Words for what --baseline and --since left out, shared by the pretty, Markdown and HTML reports,
// so every format says the same thing about the findings it does not show.
import type { AreaResult, ReviewScope } from '../engine/types.js';

/** One sentence per narrowing: which baseline or ref, and how many findings it left out. */
export function scopeSentences(scope: ReviewScope | undefined): string[] {
  const sentences: string[] = [];
  const baseline = scope?.baseline;
  if (baseline) {
    const known = `${baseline.known} known finding${baseline.known === 1 ? '' : 's'}`;
    if (baseline.updated) {
      sentences.push(`Baseline ${baseline.file} written with ${known}; only findings not in it will be reported.`);
    } else {
      const fixed = baseline.fixed ? `; ${baseline.fixed} baseline entr${baseline.fixed === 1 ? 'y' : 'ies'} no longer found (--update-baseline drops them)` : '';
      sentences.push(`Baseline ${baseline.file}: ${known} not shown, only new findings count${fixed}.`);
    }
  }
  const since = scope?.since;
  if (since) {
    sentences.push(
      `Since ${since.ref}: ${since.changedFiles} changed file${since.changedFiles === 1 ? '' : 's'}; ` +
        `${since.outsideChange} finding${since.outsideChange === 1 ? '' : 's'} outside the change not shown.`,
    );
  }
  return sentences;
}

/** "3 known, 1 outside the change" for an area, or "" when nothing was left out. */
export function areaScopeCounts(area: AreaResult): string {
  return [area.known ? `${area.known} known` : '', area.outsideChange ? `${area.outsideChange} outside the change` : ''].filter(Boolean).join(', ');
}
