// A client created without the namespace the workers read from the environment (or with another
// literal one) is reported; a client that sets a namespace from any variable, options from a
// spread or a parameter, scripts and tests are left alone, and so is a code base where a worker
// also leaves the namespace to the default.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import check from '../../../src/checks/capacity/client-namespace-mismatch.js';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from './fixture-review.js';

describe('client-namespace-mismatch', () => {
  it('reports the clients with no namespace when the worker reads it from the environment', () => {
    const findings = fixtureReview('client-namespace-mismatch').run(check);
    expect(where(findings)).toEqual([
      'client-namespace-mismatch warning src/client.ts:5',
      'client-namespace-mismatch warning src/client.ts:9',
      'client-namespace-mismatch warning src/client.ts:28',
    ]);
    expect(findings[2]!.message).toContain("new Client sets the namespace 'default' in the code");
    expect(findings[0]!.message).toContain("new Client sets no namespace, so it uses 'default', but the worker at src/worker.ts:8 takes its namespace from process.env.TEMPORAL_NAMESPACE");
    expect(findings[1]!.message).toContain('new WorkflowClient sets no namespace');
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/worker.ts:8']);
  });

  it('reports a literal namespace that differs from the workers literal one', () => {
    const findings = fixtureReview('client-namespace-mismatch-literal').run(check);
    expect(where(findings)).toEqual(['client-namespace-mismatch error src/client.ts:5']);
    expect(findings[0]!.message).toContain("new Client uses the namespace 'orders-staging', but the worker at src/worker.ts:6 takes its namespace from the literal 'orders-prod'");
    expect(findings[0]!.message).toContain("The workers poll 'orders-prod' and this client always uses 'orders-staging', whatever the deployment sets");
  });

  it('reports nothing when a worker also leaves the namespace to the default', () => {
    expect(fixtureReview('client-namespace-mismatch-default').run(check)).toEqual([]);
  });

  it("reports nothing when the worker's namespace is this.config's hard-coded 'default'", () => {
    expect(fixtureReview('client-namespace-mismatch-this-config').run(check)).toEqual([]);
  });
});

describe('client-namespace-mismatch (Python)', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-client-namespace-mismatch');
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: root, config: undefined }));
  });

  it("reports the Client.connect with no namespace or 'default', not an admin client that only manages namespaces", () => {
    const mine = findings.filter((f) => f.checkId === 'client-namespace-mismatch');
    expect(mine.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['client-namespace-mismatch warning app/api.py:9', 'client-namespace-mismatch warning app/api.py:21', 'client-namespace-mismatch warning app/bootstrap.py:19']);
    expect(mine[0]!.message).toContain("Client.connect sets no namespace, so it uses 'default', but the worker at app/worker.py:10 (its client comes from the Client.connect at app/worker.py:9) takes its namespace from TEMPORAL_NAMESPACE. This client only works while TEMPORAL_NAMESPACE is 'default'");
  });
});

describe('client-namespace-mismatch (Python, a worker client created on first use)', () => {
  const fixture = (name: string) => path.resolve(import.meta.dirname, '..', '..', 'fixtures', name);
  const mine = async (name: string): Promise<Finding[]> => {
    const { findings } = await review({ dir: fixture(name), config: undefined });
    return findings.filter((f) => f.checkId === 'client-namespace-mismatch');
  };

  it("reports the request handler's connect with no namespace when the worker's singleton client sets it from settings", async () => {
    const findings = await mine('python-client-namespace-omitted');
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['client-namespace-mismatch warning svc/routes.py:10']);
    const message = findings[0]!.message;
    expect(message).toContain(
      "Client.connect sets no namespace, so it uses 'default', but the worker at svc/worker.py:9 (its client comes from the Client.connect at svc/temporal_client.py:12) takes its namespace from settings.temporal_namespace.",
    );
    expect(message).toContain("This client only works while settings.temporal_namespace is 'default' (the code's default for settings.temporal_namespace is 'default', so both agree until a deployment sets it).");
    expect(findings[0]!.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['svc/worker.py:9', 'svc/temporal_client.py:12']);
  });

  it("reports nothing when the worker's client also sets no namespace", async () => {
    expect(await mine('python-client-namespace-omitted-default')).toEqual([]);
  });

  it('reports an error when the worker polls a literal namespace other than default', async () => {
    const findings = await mine('python-client-namespace-omitted-literal');
    expect(findings.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['client-namespace-mismatch error svc/routes.py:10']);
    expect(findings[0]!.message).toContain("The workers poll 'scans-prod' and this client always uses 'default', whatever the deployment sets");
  });
});
