// payload-carries-secret on Python reads who fills a credential field: a field every visible
// producer leaves unset never reaches history, and one field carried by many payloads is one finding.
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-secret-producers');
let secrets: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  secrets = findings.filter((f) => f.checkId === 'payload-carries-secret');
});

describe('payload-carries-secret: producers of a Python payload', () => {
  test('reports only fields some producer may set, one finding per declaring class and field', () => {
    expect(secrets.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'payload-carries-secret warning app/activities.py:17',
      'payload-carries-secret warning app/activities.py:29',
      'payload-carries-secret warning app/workflows.py:21',
    ]);
  });

  test('a nested Optional field no constructor call passes is dropped: list comprehension, inline constructor', () => {
    // archive_service (ArchivedService.deployments[] built from hashes) and check_health
    // (HealthcheckDetails built with DeploymentRef(hash=...)) never carry the login.
    expect(secrets.some((f) => f.file === 'app/activities.py' && (f.line === 9 || f.line === 13))).toBe(false);
  });

  test('a workflow parameter no start passes, forwarded to an activity, is dropped', () => {
    // start_sync never receives access_token from its one caller; SyncWorkflow forwards its own.
    expect(secrets.some((f) => f.message.includes('access_token'))).toBe(false);
  });

  test('a producer that sets the field, or one the reader cannot follow (**spread), keeps it; the carriers are one finding', () => {
    const login = secrets.find((f) => f.line === 17)!;
    expect(login.message).toContain('Activity deploy takes `details.deployment.snapshot.login.password` (str), which looks like a credential.');
    expect(login.message).toContain('One other payload carries the same fields');
    expect(login.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/activities.py:21']);
  });

  test('the message names the consequence and the Python codec API', () => {
    const partner = secrets.find((f) => f.line === 29)!;
    expect(partner.message).toContain(
      'Activity call_partner takes `api_key` (str), which looks like a credential. Payloads are stored in plain text in the workflow history for the whole retention period, visible in the Web UI and to anyone who can read the namespace, and copied into every export.',
    );
    expect(partner.fix).toContain('encrypt payloads with a temporalio.converter.PayloadCodec set as payload_codec on the DataConverter the client connects with');
  });
});
