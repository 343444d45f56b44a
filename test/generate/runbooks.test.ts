import { describe, expect, it } from 'vitest';
import { buildAlertRules } from '../../src/generate/alert-rules.js';
import { buildRunbooks } from '../../src/generate/runbooks.js';
import { sampleFacts } from './sample-facts.js';

const runbooks = buildRunbooks(sampleFacts());
const byName = new Map(runbooks.map((r) => [r.name, r.content]));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')),
  );
}

describe('buildRunbooks', () => {
  it('writes one runbook per workflow type plus one for workers', () => {
    expect(runbooks.map((r) => r.name)).toEqual(['processOrder.md', 'refundOrder.md', 'temporal-workers.md']);
  });

  it('derives failure modes from timeouts, retry caps and errors', () => {
    const text = byName.get('processOrder.md')!;
    const charge = text.slice(text.indexOf('### `chargeCard`'), text.indexOf('### `reserveStock`'));
    expect(charge.trim().split('\n')).toEqual([
      '### `chargeCard`, on task queue `payments.v2`',
      '',
      '- Timeouts: start-to-close 30s, schedule-to-close 10m, schedule-to-start 1m, heartbeat unset.',
      '- A hung attempt is abandoned after 30s and retried.',
      '- If its workers are saturated or gone, it fails after waiting 1m for a slot (a schedule-to-start timeout is not retried).',
      '- After 5 attempts it fails and the workflow gets an ActivityFailure (the workflow fails unless it handles it).',
      '- Retrying stops 10m after it was first scheduled.',
      '- Not retried: `CardDeclined`.',
      '- Throws `CardDeclined`: fails at once (non-retryable).',
      '- Throws `GatewayTimeout`: retried like any transient error.',
    ]);
    const stock = text.slice(text.indexOf('### `reserveStock`'), text.indexOf('The workflow fails on purpose'));
    expect(stock).toContain('- Retries are unlimited: during a dependency outage executions stay Running');
    expect(stock).toContain('- Called in a loop');
    expect(stock).toContain('it waits in the queue without limit');
    expect(text).toContain('The workflow fails on purpose with `OrderRejected`');
  });

  it('lists executions by each search attribute the type is started with', () => {
    const text = byName.get('processOrder.md')!;
    expect(text).toContain(`temporal workflow list --query 'WorkflowType="processOrder" AND CustomerId = "<CustomerId>"'`);
    expect(text).toContain(`temporal workflow list --query 'WorkflowType="processOrder" AND OrderTotal = 0'`);
    expect(text).not.toContain('started without business search attributes');
    expect(byName.get('refundOrder.md')).toContain('This type is started without business search attributes');
  });

  it('explains every alert the rule file links to it', () => {
    const rules = buildAlertRules(sampleFacts()).flatMap((g) => g.rules);
    for (const rule of rules) {
      const [file, anchor] = rule.annotations.runbook_url.replace('docs/runbooks/', '').split('#');
      const target = file === '{{ $labels.workflow_type }}.md' ? 'processOrder.md' : file!;
      expect(byName.has(target), rule.annotations.runbook_url).toBe(true);
      expect(byName.get(target)).toContain(rule.alert);
      if (anchor) expect(anchors(byName.get(target)!).has(anchor), `#${anchor}`).toBe(true);
    }
  });
});
