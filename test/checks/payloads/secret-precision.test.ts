// payload-carries-secret precision: flags, counts, dates, enums and references named after a
// credential carry none; a type is judged by its fields, never by its name. A generated password
// and an API key passed as strings are still reported.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

function review(name: string) {
  const root = path.join(fixturesDir, name);
  const { model } = buildTemporalModel({ root });
  return runChecks({ root, config: loadConfig(root).config, checks: checks.filter((c) => c.id === 'payload-carries-secret'), model }).findings;
}

describe('payload-carries-secret precision', () => {
  const found = review('payloads-secret-precision');

  it('reports a temporaryPassword string parameter, an apiKey string field, a Buffer private key and a map of secrets', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 53 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 63 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 68 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 73 },
    ]);
    expect(found.map((f) => f.data?.['paths'])).toEqual([['temporaryPassword'], ['call.apiKey'], ['privateKey'], ['input.secrets', 'input.credentials']]);
  });

  it('skips boolean, number, Date, enum and string-literal fields named after a credential, in activity and signal inputs', () => {
    const names = found.flatMap((f) => f.data?.['paths'] as string[]);
    for (const field of ['resetPassword', 'authTokenTtl', 'passwordChangedOn', 'apiKeyState', 'sendPasswordReset', 'passwordReset']) {
      expect(names.some((p) => p.endsWith(`.${field}`))).toBe(false);
    }
    expect(found.filter((f) => f.data?.['name'] === 'notifyAccount' || f.data?.['name'] === 'reactivate')).toEqual([]);
  });

  it('skips references to a secret in camelCase and snake_case (certificate_secret_name, tlsSecretName, encryption_key_id, ...)', () => {
    expect(found.filter((f) => f.data?.['name'] === 'issueCertificate')).toEqual([]);
  });

  it('judges an input by its fields, not by its type name or its own name', () => {
    expect(found.filter((f) => f.data?.['name'] === 'triggerReactivationPasswordReset' || f.data?.['name'] === 'auditCredentials')).toEqual([]);
  });
});
