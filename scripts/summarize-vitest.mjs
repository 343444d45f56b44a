#!/usr/bin/env node
// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from vitest's JSON
// reporter output, and exits 1 when anything failed or nothing ran. A test file that failed to
// load has no failed test in it, so it counts as one failure of its own.
//
//   node scripts/summarize-vitest.mjs test-results/vitest.json

import fs from 'node:fs';
import path from 'node:path';

const file = process.argv[2];
if (!file) {
  console.error('usage: summarize-vitest.mjs <vitest json report>');
  process.exit(2);
}

let report;
try {
  report = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`${file}: cannot read the vitest JSON report (${error.code ?? error.message})`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const suite of report.testResults ?? []) {
  const name = path.relative(process.cwd(), suite.name);
  let failedInFile = 0;
  for (const test of suite.assertionResults ?? []) {
    if (test.status === 'passed') passed += 1;
    else if (test.status === 'failed') {
      failed += 1;
      failedInFile += 1;
      failures.push(`${name}: ${test.fullName}`);
    } else skipped += 1; // skipped, pending, todo
  }
  if (suite.status === 'failed' && failedInFile === 0) {
    failed += 1;
    failures.push(`${name}: ${(suite.message ?? 'failed to run').split('\n')[0]}`);
  }
}

for (const failure of failures) console.log(`FAILED ${failure}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
