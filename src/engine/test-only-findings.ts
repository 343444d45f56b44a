// Lowers to info the findings about production cost that sit in a workflow only tests start (see
// src/model/typescript/test-only-workflows.ts): in the workflow's code, on a proxy or an activity
// only such workflows use, or on a start of such a workflow. The checks listed below ask what an
// option or a payload costs when real traffic runs; for a test workflow that cost never comes.
// One place for every check, like suppressions, so each check keeps its own reasoning.

import type { FindingDraft } from '../checks/define-check.js';
import type { SourceLocation, TemporalModel } from '../model/typescript/types.js';

/** The checks whose findings a test-only workflow lowers to info. */
export const TEST_ONLY_DEMOTED_CHECKS = new Set([
  'activity-retry-policy-missing',
  'activity-retry-attempts-unbounded',
  'activity-retry-backoff-default',
  'activity-retry-max-interval-unset',
  'activity-heartbeat-timeout-missing',
  'activity-heartbeat-timeout-long',
  'activity-schedule-to-start-missing',
  'activity-schedule-to-close-missing',
  'activity-start-to-close-missing',
  'payload-carries-secret',
  'payload-carries-collection',
  'workflow-start-without-search-attributes',
  'workflow-start-id-random',
  'workflow-start-failure-swallowed',
]);

interface Span {
  file: string;
  start: number;
  end: number;
}

export interface TestOnlySites {
  /**
   * Why the code at a location serves test-only workflows, or null when it serves production;
   * undefined when the location is none of the sites modelled. `activities: false` leaves out the
   * activity implementations (a throw site there is evidence, not a site of its own).
   */
  at(location: SourceLocation, options?: { activities?: boolean }): string | null | undefined;
}

/** Indexes the sites of a model's test-only workflows; undefined when it has none. */
export function testOnlySites(model: TemporalModel): TestOnlySites | undefined {
  const testOnly = new Map((model.testOnlyWorkflows ?? []).map((w) => [w.name, w.reason]));
  if (testOnly.size === 0) return undefined;
  const verdict = (workflows: string[]): string | null =>
    workflows.length > 0 && workflows.every((name) => testOnly.has(name)) ? [...new Set(workflows.map((name) => testOnly.get(name)!))].join('; ') : null;

  const spans: { span: Span; reason: string | null; activity?: boolean }[] = [];
  const spanOf = (node: { getSourceFile(): { fileName: string }; getStart(): number; getEnd(): number }, file: string): Span => {
    const source = model.sourceFile(file);
    const line = (position: number) => (source ? source.getLineAndCharacterOfPosition(position).line + 1 : 0);
    return { file, start: line(node.getStart()), end: line(node.getEnd()) };
  };
  for (const workflow of model.workflows) spans.push({ span: spanOf(workflow.node, workflow.file), reason: testOnly.get(workflow.name) ?? null });

  // Which workflows use each activity type, through any proxy.
  const usersOf = new Map<string, Set<string>>();
  for (const proxy of model.activityProxies) {
    const names = proxy.usedActivityTypes === 'all' ? proxy.exposedActivityTypes : proxy.usedActivityTypes.map((use) => use.name);
    for (const name of names) {
      const users = usersOf.get(name) ?? new Set<string>();
      for (const workflow of proxy.workflowNames) users.add(workflow);
      // a proxy no workflow is known to use may serve production: keep a marker
      if (proxy.workflowNames.length === 0) users.add('\0unknown');
      usersOf.set(name, users);
    }
  }
  for (const activity of model.activities) spans.push({ span: spanOf(activity.node, activity.file), reason: verdict([...(usersOf.get(activity.name) ?? [])]), activity: true });

  const points = new Map<string, string | null>();
  const key = (location: SourceLocation) => `${location.file}:${location.line}`;
  const mark = (location: SourceLocation, reason: string | null) => {
    // two sites on one line: production wins
    points.set(key(location), points.has(key(location)) && points.get(key(location)) === null ? null : reason);
  };
  for (const proxy of model.activityProxies) mark(proxy.location, verdict(proxy.workflowNames));
  for (const start of model.starts) mark(start.location, start.workflowType !== null ? (testOnly.get(start.workflowType) ?? null) : null);

  return {
    at(location, options) {
      const point = points.get(key(location));
      if (point !== undefined) return point;
      // the innermost span holding the line decides
      let best: (typeof spans)[number] | undefined;
      for (const entry of spans) {
        if (entry.activity && options?.activities === false) continue;
        if (entry.span.file !== location.file || location.line < entry.span.start || location.line > entry.span.end) continue;
        if (!best || entry.span.end - entry.span.start < best.span.end - best.span.start) best = entry;
      }
      return best?.reason;
    },
  };
}

/**
 * The draft lowered to info with a note, when it sits in test-only code and none of the sites it
 * groups with it (its related locations) sits in production code; otherwise the draft unchanged.
 */
export function demoteTestOnly(checkId: string, draft: FindingDraft, sites: TestOnlySites | undefined): FindingDraft {
  if (!sites || !draft.location || !TEST_ONLY_DEMOTED_CHECKS.has(checkId) || draft.severity === 'info') return draft;
  const reason = sites.at(draft.location);
  if (!reason) return draft;
  // A grouped finding lists the other proxies, payloads or starts as related locations: one in
  // production code keeps it. Only payload findings list activities so; for the others, a related
  // location in an activity is evidence (a throw site) and does not count.
  const activities = checkId.startsWith('payload-');
  if ((draft.related ?? []).some((related) => sites.at(related, { activities }) === null)) return draft;
  return {
    ...draft,
    severity: 'info',
    message: `${draft.message} Lowered to info: ${reason}; not a production path.`,
    data: { ...(draft.data ?? {}), testOnly: reason },
  };
}
