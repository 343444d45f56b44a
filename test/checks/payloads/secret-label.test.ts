// payload-carries-secret precision: a field named after a credential that only says where the
// credential lives or what kind it is (`credentialSource`, `credentialsProvider`, `apiKeyPrefix`),
// or whose schema is a fixed choice, a flag or a number (`CredentialSource` over
// `z.infer<typeof credentialSourceSchema>` with `z.enum([...])`, zod not installed), holds no
// credential. The credentials next to them (`apiKey`, `token`, `password`, `accessToken`, a
// `secret` whose schema is `z.string()`, `credentials.clientSecret`) are still reported, in
// TypeScript and in Python.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import type { Finding } from '../../../src/engine/types.js';
import { looksLikeSecret } from '../../../src/model/typescript/payload-types/index.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { review } from '../../../src/review.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('payload-carries-secret: labels of a secret in TypeScript', () => {
  const root = path.join(fixturesDir, 'payloads-secret-label');
  const { model } = buildTemporalModel({ root });
  const found = runChecks({ root, config: loadConfig(root).config, checks: checks.filter((c) => c.id === 'payload-carries-secret'), model }).findings;

  it('reports the held credentials only: plain fields, a z.string() schema type, a z.object field, a parameter', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 37 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 39 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 41 },
    ]);
    expect(found.map((f) => f.data?.['paths'])).toEqual([
      ['input.apiKey', 'input.token', 'input.password', 'input.accessToken', 'input.secret', 'input.credentials.clientSecret'],
      ['command.accessToken'],
      ['apiSecret'],
    ]);
  });

  it('skips fields and parameters typed by an unresolved z.enum, z.literal(...).or(...) or z.boolean() schema, also from a workspace package', () => {
    // deployTarget(input: DeployRecord): credentialSource, secret and password are a choice, a kind and a flag.
    expect(found.filter((f) => f.line === 12)).toEqual([]);
    // rotate(credentialSource: CredentialSource, secret: SecretKind, apiSecret: ApiSecret): only apiSecret.
    expect(found.filter((f) => f.line === 41).map((f) => f.data?.['paths'])).toEqual([['apiSecret']]);
  });

  it('skips z.object fields whose schema is an enum (directly or through a variable with .default(...))', () => {
    const command = found.find((f) => f.line === 39)!;
    expect(command.data?.['paths']).toEqual(['command.accessToken']);
  });

  it('skips names that describe a secret: source, name, type, set, id, ref, provider, prefix, and a string-literal union', () => {
    // describeSecrets(input: LabelledSecrets)
    expect(found.filter((f) => f.line === 26)).toEqual([]);
  });
});

describe('payload-carries-secret: labels of a secret in Python', () => {
  let found: Finding[];
  beforeAll(async () => {
    const root = path.join(fixturesDir, 'python-secret-label');
    found = (await review({ dir: root, config: undefined })).findings.filter((f) => f.checkId === 'payload-carries-secret');
  });

  it('reports api_key and not credential_source, credentials_provider, secret_name, token_type or api_key_prefix', () => {
    expect(found.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual(['payload-carries-secret warning app/activities.py:38']);
    expect(found[0]!.data?.['paths']).toEqual(['call.api_key']);
  });
});

describe('payload-carries-secret: names that describe a secret', () => {
  it('tells a label of a credential from the credential', () => {
    const labels = ['credentialSource', 'credential_source', 'secretName', 'tokenType', 'passwordSet', 'apiKeyId', 'secretRef', 'credentialsProvider', 'secretStore',
      'tokenIssuer', 'credentialMode', 'privateKeyFormat', 'apiKeyScopes', 'apiKeyPrefix', 'apiKeyFingerprint', 'passwordProvided', 'secretBackend', 'CREDENTIALS_SOURCE'];
    const secrets = ['apiKey', 'token', 'password', 'accessToken', 'secret', 'credentials', 'clientSecret', 'secretKey', 'api_key', 'sourcePassword', 'providerApiKey'];
    expect(labels.filter((n) => looksLikeSecret(n))).toEqual([]);
    expect(secrets.filter((n) => !looksLikeSecret(n))).toEqual([]);
  });
});
