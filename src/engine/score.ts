// The scorecard: per-area status from the findings and the evidence that was available, and
// the overall verdict (DESIGN.md "Evidence and verdicts").

import { AREAS } from './types.js';
import type { Area, AreaResult, EvidenceKind, Finding, Verdict } from './types.js';

export interface AreaEvidence {
  /** Evidence kinds that were examined for the area (whether or not they found anything). */
  kinds: Set<EvidenceKind>;
  notes: string[];
  /** What the model could not see for the area: it is then not-verified unless a finding fails it. */
  gaps?: string[];
}

/**
 * `notVerified: 'no-go'` (the default) makes an area the model could not see block GO: a verdict
 * that rests on a model that missed the workers or workflows would be wrong at the top.
 */
export function scoreAreas(
  findings: Finding[],
  evidence: Map<Area, AreaEvidence>,
  failOn: 'error' | 'warning',
  notVerified: 'no-go' | 'go' = 'no-go',
): { areas: AreaResult[]; verdict: Verdict } {
  const areas = AREAS.map((area): AreaResult => {
    const own = findings.filter((f) => f.area === area);
    const errors = own.filter((f) => f.severity === 'error').length;
    const warnings = own.filter((f) => f.severity === 'warning').length;
    const infos = own.filter((f) => f.severity === 'info').length;
    const kinds = evidence.get(area)?.kinds ?? new Set<EvidenceKind>();
    for (const finding of own) kinds.add(finding.evidence);
    const gaps = evidence.get(area)?.gaps ?? [];
    const status = errors > 0 ? 'fail' : gaps.length > 0 ? 'not-verified' : warnings > 0 ? 'warn' : kinds.size === 0 ? 'not-verified' : 'pass';
    const orderedKinds = (['static', 'history', 'replay', 'simulation', 'drill'] as const).filter((k) => kinds.has(k));
    const notes = evidence.get(area)?.notes ?? [];
    return {
      area,
      status,
      evidence: orderedKinds,
      errors,
      warnings,
      infos,
      ...(notes.length ? { note: notes.join('; ') } : {}),
      ...(gaps.length ? { gaps } : {}),
    };
  });
  const failing = areas.some(
    (a) => a.status === 'fail' || (failOn === 'warning' && a.status === 'warn') || (notVerified === 'no-go' && (a.gaps?.length ?? 0) > 0),
  );
  return { areas, verdict: failing ? 'NO-GO' : 'GO' };
}
