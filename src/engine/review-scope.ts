// Narrows a review to what a team acts on (check --baseline, check --since): the findings the
// baseline holds and the findings outside the change are left out of `findings`, the area counts
// and the verdict, and counted per area instead (`known`, `outsideChange`), so the scorecard
// still says how much is there. Areas are scored again from the findings that remain; the
// evidence and the gaps (what the model could not see) stay as they were, so a not-verified area
// still blocks GO as configured.

import { scoreAreas, type AreaEvidence } from './score.js';
import type { Area, Finding, ReviewResult, ReviewScope } from './types.js';

export interface ScopeInput {
  baseline?: { file: string; fingerprints: ReadonlySet<string>; updated?: boolean };
  since?: { ref: string; changedFiles: ReadonlySet<string> };
}

export function applyScope(result: ReviewResult, input: ScopeInput, notVerified: 'no-go' | 'go' = 'no-go'): ReviewResult {
  const reported: Finding[] = [];
  const known = new Map<Area, number>();
  const outside = new Map<Area, number>();
  const bump = (counts: Map<Area, number>, area: Area) => counts.set(area, (counts.get(area) ?? 0) + 1);
  const matched = new Set<string>();
  for (const finding of result.findings) {
    if (input.baseline && finding.fingerprint && input.baseline.fingerprints.has(finding.fingerprint)) {
      matched.add(finding.fingerprint);
      bump(known, finding.area);
    } else if (input.since && !touchesChange(finding, input.since.changedFiles)) {
      bump(outside, finding.area);
    } else {
      reported.push(finding);
    }
  }

  const evidence = new Map<Area, AreaEvidence>(
    result.areas.map((a) => [a.area, { kinds: new Set(a.evidence), notes: a.note ? [a.note] : [], ...(a.gaps ? { gaps: a.gaps } : {}) }]),
  );
  const scored = scoreAreas(reported, evidence, result.failOn, notVerified);
  const areas = scored.areas.map((area) => ({
    ...area,
    ...(input.baseline ? { known: known.get(area.area) ?? 0 } : {}),
    ...(input.since ? { outsideChange: outside.get(area.area) ?? 0 } : {}),
  }));
  const sum = (counts: Map<Area, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  const scope: ReviewScope = {
    ...(input.baseline
      ? {
          baseline: {
            file: input.baseline.file,
            known: sum(known),
            fixed: [...input.baseline.fingerprints].filter((fp) => !matched.has(fp)).length,
            ...(input.baseline.updated ? { updated: true } : {}),
          },
        }
      : {}),
    ...(input.since ? { since: { ref: input.since.ref, changedFiles: input.since.changedFiles.size, outsideChange: sum(outside) } } : {}),
  };
  return { ...result, findings: reported, areas, verdict: scored.verdict, scope };
}

/** A finding is part of the change when its file, or a place its evidence points to, changed. */
function touchesChange(finding: Finding, changed: ReadonlySet<string>): boolean {
  if (finding.file && changed.has(finding.file)) return true;
  return (finding.related ?? []).some((r) => changed.has(r.file));
}
