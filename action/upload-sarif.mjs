// Uploads the Action's SARIF to code scanning (POST /repos/{owner}/{repo}/code-scanning/sarifs,
// gzip + base64 as the API asks), for the commit and ref of the run. The category is in the SARIF
// itself (runs[0].automationDetails.id). A refused upload is a warning, not a failure: the
// verdict gates the job, and the findings are in the job summary either way.
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { escapeCommand, github } from './github-api.mjs';

const file = process.argv[2];
const repository = process.env.GITHUB_REPOSITORY;
try {
  const sarif = gzipSync(fs.readFileSync(file)).toString('base64');
  const response = await github('POST', `/repos/${repository}/code-scanning/sarifs`, {
    commit_sha: process.env.GITHUB_SHA,
    ref: process.env.GITHUB_REF,
    sarif,
    tool_name: 'temporal-preflight',
  });
  console.log(`temporal-preflight: SARIF uploaded to code scanning${response?.id ? ` (${response.id})` : ''}`);
} catch (error) {
  const hint = error.status === 403 || error.status === 404
    ? ': the job needs `permissions: security-events: write`, and private repositories need GitHub Code Security; set upload-sarif: false to skip the upload'
    : '';
  console.log(`::warning title=temporal-preflight::${escapeCommand(`code scanning upload failed, ${error.message}${hint}`)}`);
}
