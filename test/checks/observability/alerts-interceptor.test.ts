// A workflow inbound interceptor that reports every failure itself (here a Slack message through an
// activity) is how some teams hear about failed workflows; with no alert rule file in the project,
// the missing metric alert is then a note that names the interceptor, not a warning.

import { describe, expect, it } from 'vitest';
import { findingsOf, where } from '../determinism/review-fixture.js';

describe('workflow-failure-alert-missing with a failure-reporting interceptor', () => {
  it('is a note naming the interceptor that reports failures', () => {
    const findings = findingsOf('alerts-interceptor', ['workflow-failure-alert-missing']);
    expect(where(findings)).toEqual(['workflow-failure-alert-missing info src/workflows.ts:8']);
    expect(findings[0]!.message).toContain('The workflow interceptor at src/interceptors.ts:7 reports failures itself (it calls a notifier)');
    expect(findings[0]!.data?.['alertsElsewhere']).toEqual({ kind: 'interceptor', file: 'src/interceptors.ts', line: 7 });
  });
});
