// payload-carries-secret and zod schemas the checker cannot resolve (zod not installed): the
// schema is built by a project helper (`withRecordBase({...})`, which returns `Base.extend(shape)`),
// ends in `.strict()`, and is nested in another schema as `z.array(ChannelSchema)`. The token is
// found in the activity result that lists channels and in the workflow input that takes one; a
// schema with only a token count is left alone.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

describe('payload-carries-secret and nested zod schemas built by a helper', () => {
  it('reports the nested token of the listed channels and the token of the workflow input, not the token count', () => {
    const root = path.join(fixturesDir, 'payloads-zod-nested');
    const { model } = buildTemporalModel({ root });
    const found = runChecks({ root, config: loadConfig(root).config, checks: checks.filter((c) => c.id === 'payload-carries-secret'), model }).findings;
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 4 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/workflows.ts', line: 13 },
    ]);
    expect(found.map((f) => f.data?.['paths'])).toEqual([['result.channels[].token'], ['channel.token']]);
  });
});
