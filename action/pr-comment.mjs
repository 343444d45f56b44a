// Posts the review as one sticky pull-request comment: the first run creates it, later runs edit
// it in place (found by the marker on its first line, one per category), so a pull request never
// collects a comment per push. A refused call is a warning: under `pull_request`, GitHub gives
// fork pull requests a read-only token (see docs/github-action.md).
import fs from 'node:fs';
import { escapeCommand, github, readEvent } from './github-api.mjs';

const body = fs.readFileSync(process.argv[2], 'utf8');
const marker = body.split('\n', 1)[0];
const repository = process.env.GITHUB_REPOSITORY;
try {
  const event = await readEvent();
  const number = event.pull_request?.number;
  if (!number) {
    console.log('temporal-preflight: not a pull request; no comment');
    process.exit(0);
  }
  const existing = await findComment(number);
  if (existing) {
    await github('PATCH', `/repos/${repository}/issues/comments/${existing.id}`, { body });
    console.log(`temporal-preflight: updated the review comment on pull request #${number}`);
  } else {
    await github('POST', `/repos/${repository}/issues/${number}/comments`, { body });
    console.log(`temporal-preflight: commented on pull request #${number}`);
  }
} catch (error) {
  const hint = error.status === 403 ? ': the job needs `permissions: pull-requests: write`; fork pull requests get a read-only token under `pull_request`' : '';
  console.log(`::warning title=temporal-preflight::${escapeCommand(`could not post the pull-request comment, ${error.message}${hint}`)}`);
}

async function findComment(number) {
  for (let page = 1; ; page++) {
    const comments = await github('GET', `/repos/${repository}/issues/${number}/comments?per_page=100&page=${page}`);
    const found = comments.find((c) => typeof c.body === 'string' && c.body.startsWith(marker));
    if (found || comments.length < 100) return found;
  }
}
