// payload-carries-secret and a type derived from a schema whose library is not installed
// (`Static<typeof ServiceToken>` with typebox unresolved): the checker gives `any`, the schema's
// object literal still names accessToken and refreshToken. A schema with only a pageToken is left alone.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('payload-carries-secret and a schema-derived type the checker cannot resolve', () => {
  it('reports the activity results whose schemas have credential fields (local or in a workspace package), and not the one with a page token', () => {
    const root = path.join(fixturesDir, 'payloads-schema-unresolved');
    const { model } = buildTemporalModel({ root });
    const found = runChecks({ root, config: loadConfig(root).config, checks: checks.filter((c) => c.id === 'payload-carries-secret'), model }).findings;
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 4 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 12 },
    ]);
    // ServiceToken comes from a workspace package the checker cannot resolve; LocalToken from the same package.
    expect(found.map((f) => f.data?.['paths'])).toEqual([['result.accessToken', 'result.refreshToken'], ['result.apiKey']]);
    expect(found[0]!.message).toContain('Activity loadToken returns');
  });
});
