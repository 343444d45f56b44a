// The few GitHub REST calls the Action makes (code scanning upload, pull-request comment), with
// the job's token. GITHUB_API_URL points them at GitHub Enterprise Server, or at a local server in
// the tests. Node's own fetch: the Action's scripts need no package of their own.

export class GitHubError extends Error {
  constructor(status, method, route, body) {
    super(`${method} ${route}: HTTP ${status}${messageOf(body) ? ` (${messageOf(body)})` : ''}`);
    this.status = status;
  }
}

export async function github(method, route, body) {
  const base = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
  const response = await fetch(`${base}${route}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${process.env.PREFLIGHT_TOKEN ?? ''}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'temporal-preflight-action',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (!response.ok) throw new GitHubError(response.status, method, route, text);
  return text ? JSON.parse(text) : undefined;
}

/** The event that triggered the workflow (pull request number, fork or not). */
export async function readEvent() {
  const file = process.env.GITHUB_EVENT_PATH;
  if (!file) return {};
  const fs = await import('node:fs');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Workflow command data: %, CR and LF escaped, or the annotation stops at the first line. */
export function escapeCommand(text) {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function messageOf(body) {
  try {
    return JSON.parse(body).message;
  } catch {
    return '';
  }
}
