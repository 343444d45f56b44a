// payload-carries-secret and lists of secret names (session 29 reading of real code: a field
// `envSecrets: string[]` filled from a column `env_secret_names` and walked as
// `for (const secretName of source.envSecrets)`, each looked up in a secret store, was read FALSE
// as a credential). A list of strings under a plural credential name is taken for names when the
// project's code writes it from a name-like value or walks it with a name-like item, and nothing
// says credentials. Lists filled from credential-looking values, walked as `secret`, or never
// written in the project, and maps of names to values, are still reported.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('payload-carries-secret: lists of secret names', () => {
  const root = path.join(fixturesDir, 'payloads-secret-list-names');
  const { model } = buildTemporalModel({ root });
  const found = runChecks({ root, config: loadConfig(root).config, checks: checks.filter((c) => c.id === 'payload-carries-secret'), model }).findings;

  it('skips a list written from env_secret_names and walked as secretName; keeps lists of values, unclear lists and maps', () => {
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 11 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 15 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 19 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 23 },
    ]);
    expect(found.map((f) => f.data?.['paths'])).toEqual([['target.signingSecrets'], ['spec.requiredSecrets'], ['login.credentials'], ['bundle.secrets']]);
  });
});
