// The static payload checks on a fixture whose types live in another file: the carrier pattern
// through aliases, interfaces, generics and Promise; credential-looking names; workflow loops
// without continue-as-new. Id-only activities and guarded loops stay silent.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../src/checks/index.js';
import { defaultConfig } from '../../src/engine/config.js';
import { runChecks } from '../../src/engine/run-checks.js';
import type { Finding } from '../../src/engine/types.js';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';
import { looksLikeSecret } from '../../src/model/typescript/payload-types/index.js';
import { repoRoot } from './shared-histories.js';

const root = path.join(repoRoot, 'test/fixtures/payloads-carrier');
const model = buildTemporalModel({ root }).model;

function findings(checkId: string): Finding[] {
  return runChecks({ root, config: defaultConfig(), checks: checks.filter((c) => c.id === checkId), model }).findings;
}
const where = (list: Finding[]) => list.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`);

describe('payload-carries-collection', () => {
  const found = findings('payload-carries-collection');

  it('finds arrays, binary data, maps and large object graphs through types declared in another file', () => {
    expect(where(found)).toEqual([
      'payload-carries-collection info src/activities.ts:3',
      'payload-carries-collection info src/activities.ts:7',
      'payload-carries-collection info src/activities.ts:11',
      'payload-carries-collection warning src/activities.ts:15',
      'payload-carries-collection info src/activities.ts:19',
      'payload-carries-collection info src/activities.ts:23',
      'payload-carries-collection info src/workflows.ts:8',
      'payload-carries-collection info src/workflows.ts:18',
    ]);
    expect(found.map((f) => [f.data?.['name'], f.data?.['direction'], f.data?.['path'], f.data?.['carrier'], f.data?.['type']])).toEqual([
      ['loadOrderLines', 'result', 'result', 'array', 'OrderLines'],
      ['priceOrder', 'input', 'order.lines', 'array', 'OrderLine[]'],
      ['fetchPage', 'result', 'result.items', 'array', 'OrderLine[]'],
      ['renderPdf', 'result', 'result', 'binary', 'Buffer<ArrayBufferLike>'],
      ['buildInvoice', 'result', 'result', 'large-object', 'Invoice'],
      ['priceList', 'result', 'result', 'map', 'Record<string, number>'],
      ['addLines', 'input', 'args[0]', 'array', 'OrderLine[]'],
      ['importOrders', 'input', 'orders', 'array', 'Order[]'],
    ]);
  });

  it('says where the data is and points at the type declaration', () => {
    const priceOrder = found[1]!;
    expect(priceOrder.message).toMatch(/^Activity priceOrder takes `order`, which holds an array at order\.lines \(OrderLine\[\], in Order declared in src\/types\.ts\): how long it gets depends on the data, not on the type\. Temporal writes every activity input and result into the workflow history/);
    expect(priceOrder.related).toEqual([{ file: 'src/types.ts', line: 14, column: 1, message: 'Order is declared here' }]);
    expect(found[0]!.message).toMatch(/^Activity loadOrderLines returns an array \(OrderLines, declared in src\/types\.ts\): how long it gets depends on the data, not on the type\./);
    expect(found[0]!.related).toEqual([{ file: 'src/types.ts', line: 20, column: 1, message: 'OrderLines is declared here' }]);
  });

  it('stays silent on id-only and summary activities and workflows', () => {
    const silent = ['chargeCard', 'summarizeOrder', 'listOrderIds', 'checkStock', 'callPartner', 'processOrder', 'pollInventory'];
    expect(found.filter((f) => silent.includes(String(f.data?.['name'])))).toEqual([]);
  });
});

describe('payload-carries-secret', () => {
  it('flags credential-looking parameters, types and result fields', () => {
    const found = findings('payload-carries-secret');
    expect(where(found)).toEqual([
      'payload-carries-secret warning src/activities.ts:45',
      'payload-carries-secret warning src/activities.ts:50',
      'payload-carries-secret warning src/activities.ts:55',
    ]);
    expect(found.map((f) => f.data?.['paths'])).toEqual([['apiKey'], ['partner.clientSecret'], ['result.accessToken']]);
    // judged by its field, not by the type's name
    expect(found[1]!.message).toMatch(/^Activity syncPartner takes `partner.clientSecret` \(string\), which looks like a credential\. Payloads are stored in plain text/);
  });

  it('tells credentials from pagination and usage tokens', () => {
    const names = ['apiKey', 'stripeApiKey', 'DB_PASSWORD', 'clientSecret', 'client_secret', 'accessToken', 'refresh_token', 'token', 'bearerToken', 'PartnerCredentials', 'privateKey', 'jwt', 'resetToken', 'idToken', 'passwordHash', 'temporaryPassword'];
    const harmless = ['pageToken', 'nextPageToken', 'maxTokens', 'tokenCount', 'cancellationToken', 'secretary', 'keyboard', 'monkey', 'passport', 'orderId', 'publicKeyId', 'input_tokens',
      // flags and references: a credential's name, id, expiry or whether to send one is no credential
      'sendPasswordReset', 'isPasswordSet', 'certificate_secret_name', 'secretArn', 'apiKeyId', 'passwordExpiresAt', 'tokenType', 'requiresApiKey',
      'CERTIFICATE_SECRET_NAME', 'tlsSecretName', 'db_password_secret_id', 'clientSecretArn', 'signing_key_id', 'webhookSecretKeyRef', 'private_key_path', 'apiKeyVersion',
      'smtpPasswordEnabled', 'hasApiKey', 'shouldRotateSecret', 'apiKeyCount', 'passwordLength', 'accessTokenExpiresIn', 'refresh_token_expiry_seconds', 'authTokenTtl'];
    expect(names.filter((n) => !looksLikeSecret(n))).toEqual([]);
    expect(harmless.filter((n) => looksLikeSecret(n))).toEqual([]);
  });
});

describe('workflow-unbounded-history', () => {
  it('flags loops that schedule work with no bound and no continue-as-new, also through helpers', () => {
    const found = findings('workflow-unbounded-history');
    expect(where(found)).toEqual([
      'workflow-unbounded-history warning src/workflows.ts:23',
      'workflow-unbounded-history warning src/workflows.ts:60',
      // readAllPages: `page < pages` counts up to its input, so only info with the size that matters.
      'workflow-unbounded-history info src/workflows.ts:69',
      'workflow-unbounded-history warning src/workflows.ts:79',
    ]);
    expect(found.map((f) => [f.data?.['workflow'], (f.data?.['growth'] as { kind: string; name: string }[]).map((g) => `${g.kind} ${g.name}`)])).toEqual([
      ['pollInventory', ['activity checkStock', 'timer sleep']],
      ['cartWorkflow', ['signal wait condition', 'activity priceOrder']],
      ['readAllPages', ['activity fetchPage']],
      ['monitor', ['activity checkStock']],
    ]);
    expect(found[0]!.message).toMatch(/^Workflow pollInventory loops \(`while \(true\) \{`\) with no fixed bound and no continue-as-new/);
  });

  it('accepts loops that check continueAsNewSuggested, count iterations to continue-as-new, or have a constant bound', () => {
    const flagged = findings('workflow-unbounded-history').map((f) => f.data?.['workflow']);
    for (const guarded of ['pollUntilSuggested', 'pollCounted', 'pollWithCounter', 'processOrder']) expect(flagged).not.toContain(guarded);
  });
});
