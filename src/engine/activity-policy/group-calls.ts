// One finding for the calls of a workflow that say the same. A Python "proxy" is one
// execute_activity call, so a check that speaks per proxy would repeat itself once per call of a
// workflow that passes the same options everywhere. Checks group those findings: the first call's
// finding stands for the group, and merge() says how it names the others.

import type { FindingDraft } from '../../checks/define-check.js';
import type { ProxyReview, ProxyVerdict } from './proxy-review.js';

export interface GroupedCall {
  review: ProxyReview;
  finding: FindingDraft;
}

/**
 * The findings in order, where those that `keyOf` gives the same key are one, made by `merge` from
 * the first and the others (at the place of the first). `keyOf` returns undefined for a finding
 * that stays on its own.
 */
export function groupCallFindings(
  verdicts: { review: ProxyReview; verdict: ProxyVerdict<FindingDraft> }[],
  keyOf: (review: ProxyReview, verdict: ProxyVerdict<FindingDraft>) => string | undefined,
  merge: (first: GroupedCall, others: GroupedCall[]) => FindingDraft,
): FindingDraft[] {
  const groups = new Map<string, GroupedCall[]>();
  const out: (FindingDraft | GroupedCall[])[] = [];
  for (const { review, verdict } of verdicts) {
    const finding = verdict.value;
    const key = keyOf(review, verdict);
    if (key === undefined) {
      out.push(finding);
      continue;
    }
    const group = groups.get(key);
    if (group) group.push({ review, finding });
    else {
      const created = [{ review, finding }];
      groups.set(key, created);
      out.push(created);
    }
  }
  return out.map((entry) => {
    if (!Array.isArray(entry)) return entry;
    const [first, ...others] = entry;
    return others.length === 0 ? first!.finding : merge(first!, others);
  });
}
