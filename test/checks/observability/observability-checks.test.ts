// The five observability checks over one fixture (test/fixtures/capacity-observability): each
// workflow, start, worker, rule and runbook is a case; the exact findings say which fail.
import { beforeAll, describe, expect, it } from 'vitest';
import metrics from '../../../src/checks/observability/worker-metrics-not-exported.js';
import startAttributes from '../../../src/checks/observability/workflow-start-without-search-attributes.js';
import textIdentifier, { isIdentifierName } from '../../../src/checks/observability/search-attribute-text-for-identifier.js';
import failureAlert from '../../../src/checks/observability/workflow-failure-alert-missing.js';
import runbook from '../../../src/checks/observability/workflow-runbook-missing.js';
import { configSchema } from '../../../src/engine/config.js';
import { fixtureReview, where, type FixtureReview } from '../capacity/fixture-review.js';

let review: FixtureReview;
beforeAll(() => {
  review = fixtureReview('capacity-observability');
});

describe('worker-metrics-not-exported', () => {
  it('flags a worker with no runtime at Worker.create and a runtime without metrics at Runtime.install', () => {
    const findings = review.run(metrics);
    expect(where(findings)).toEqual([
      'worker-metrics-not-exported warning src/reporting/main.ts:4',
      'worker-metrics-not-exported warning src/worker-blind.ts:5',
    ]);
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/reporting/main.ts:7', 'src/telemetry.ts:3']);
    expect(findings[1]!.message).toContain("The worker for task queue 'shipping-bulk' runs without Runtime.install exporting metrics");
  });

  it('passes the worker whose entry point imports the Prometheus runtime', () => {
    const files = review.run(metrics).map((f) => f.file);
    expect(files).not.toContain('src/worker-with-metrics.ts');
  });
});

describe('workflow-start-without-search-attributes', () => {
  it('notes the child start without attributes (found through its parent), and the client start whose workflow id carries the order id', () => {
    const findings = review.run(startAttributes);
    expect(where(findings)).toEqual([
      'workflow-start-without-search-attributes info src/client.ts:12',
      'workflow-start-without-search-attributes info src/workflows.ts:8',
    ]);
    expect(findings.map((f) => f.message.split(' sets')[0])).toEqual(['client.workflow.start(refundPayment)', 'executeChild(refundPayment)']);
  });

  it('passes typed attributes, deprecated untyped ones, and a workflow that upserts its own', () => {
    const flagged = review.run(startAttributes).map((f) => f.data?.workflowType);
    expect(flagged).not.toContain('shipOrder');
    expect(flagged).not.toContain('syncCatalog');
    expect(flagged).not.toContain('importOrders');
  });
});

describe('search-attribute-text-for-identifier', () => {
  it('flags TrackingNumber as TEXT, not OrderId (KEYWORD) or Notes (TEXT, not an identifier)', () => {
    const findings = review.run(textIdentifier);
    expect(where(findings)).toEqual(['search-attribute-text-for-identifier warning src/search-attributes.ts:4']);
    expect(findings[0]!.data).toEqual({ name: 'TrackingNumber', type: 'TEXT' });
  });
});

describe('workflow-failure-alert-missing', () => {
  it('gives one finding for the types no failure rule covers, each a related location, and notes the unreadable rule file', () => {
    const findings = review.run(failureAlert);
    expect(where(findings)).toEqual([
      'workflow-failure-alert-missing info prometheus/broken.rules.yml:1',
      'workflow-failure-alert-missing warning src/workflows.ts:12',
    ]);
    // shipOrder has workflow_type="shipOrder"; syncCatalog matches =~"sync.*" (on the _total name);
    // importOrders only has a latency alert, which does not count.
    expect(findings[1]!.data?.workflowTypes).toEqual(['importOrders', 'refundPayment']);
    expect(findings[1]!.message).toContain('No alert fires when workflows of 2 of the 4 types fail (importOrders and refundPayment)');
    expect(findings[1]!.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'src/workflows.ts:12 refundPayment: no failure alert',
      'src/workflows.ts:20 importOrders: no failure alert',
    ]);
  });

  it('finds rule files by content when alerts.ruleFiles matches none of them', () => {
    const config = configSchema.parse({ alerts: { ruleFiles: ['alerts/**/*.yml'] } });
    // broken.rules.yml does not look like a rule file, so only the configured glob would read it.
    expect(where(review.run(failureAlert, config))).toEqual(['workflow-failure-alert-missing warning src/workflows.ts:12']);
    expect(review.run(failureAlert, config)[0]!.data?.workflowTypes).toEqual(['importOrders', 'refundPayment']);
  });

  it('names the globs when no rule file matches them and no YAML file holds alerts, once for every type', () => {
    const bare = fixtureReview('helm-rules-with-temporal');
    const findings = bare.run(failureAlert, configSchema.parse({ alerts: { ruleFiles: ['alerts/**/*.yml'] } }));
    expect(findings).toEqual([]);
    const none = fixtureReview('runbooks-anywhere').run(failureAlert, configSchema.parse({ alerts: { ruleFiles: ['alerts/**/*.yml'] } }));
    expect(where(none)).toEqual(['workflow-failure-alert-missing warning src/workflows.ts:6']);
    expect(none[0]!.message).toContain(
      'No alert fires when workflows of any of the 3 types fail (checkout, reconcileLedger and refund): no rule file matches alerts.ruleFiles (alerts/**/*.yml) and no YAML file in the project holds Prometheus alerting rules.',
    );
  });
});

describe('workflow-runbook-missing', () => {
  it('gives one finding for the types without a runbook file or heading, each a related location', () => {
    const findings = review.run(runbook);
    expect(where(findings)).toEqual(['workflow-runbook-missing info src/workflows.ts:12']);
    expect(findings[0]!.data?.workflowTypes).toEqual(['importOrders', 'refundPayment']);
    expect(findings[0]!.message).toContain('No runbook found for 2 of the 4 workflow types (importOrders and refundPayment): no file in docs/runbooks/ (config runbooks.dir) is named for them or has a heading naming them.');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/workflows.ts:12', 'src/workflows.ts:20']);
  });

  it('says once that the configured folder holds no runbook', () => {
    const findings = review.run(runbook, configSchema.parse({ runbooks: { dir: 'ops/runbooks' } }));
    expect(where(findings)).toEqual(['workflow-runbook-missing info src/workflows.ts:6']);
    expect(findings[0]!.data?.workflowTypes).toEqual(['importOrders', 'refundPayment', 'shipOrder', 'syncCatalog']);
    expect(findings[0]!.message).toContain('No runbook found for any of the 4 workflow types (importOrders, refundPayment, shipOrder and syncCatalog): ops/runbooks/ (config runbooks.dir) holds no Markdown file.');
  });
});

describe('isIdentifierName', () => {
  it.each(['OrderId', 'customerID', 'order_id', 'ORDER-ID', 'ApiKey', 'TrackingNumber', 'InvoiceNo', 'PromoCode', 'CustomerEmail', 'Sku', 'email', 'id', 'externalRef'])(
    'treats %s as an identifier',
    (name) => expect(isIdentifierName(name)).toBe(true),
  );
  it.each(['Notes', 'Description', 'Paid', 'Monkey', 'Casino', 'Android', 'Status', 'Valid'])('does not treat %s as an identifier', (name) =>
    expect(isIdentifierName(name)).toBe(false),
  );
});
