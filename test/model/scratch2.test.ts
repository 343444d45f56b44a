import { test } from 'vitest';
import { discoverProjects } from '../../src/model/typescript/discover-projects.js';
import { buildPrograms } from '../../src/model/typescript/program.js';
import { buildTemporalModel } from '../../src/model/typescript/build-model.js';
test('timing', () => {
  let t = Date.now();
  const d = discoverProjects({ root: 'test/fixtures/model-basic' });
  console.log('discover', Date.now() - t); t = Date.now();
  const p = buildPrograms(d.projects);
  console.log('programs', Date.now() - t); t = Date.now();
  buildTemporalModel({ root: 'test/fixtures/model-basic' });
  console.log('full second', Date.now() - t); t = Date.now();
});
