// Adapts temporal-preflight's reports to GitHub, for the Action (plain JavaScript: it runs from the
// Action's checkout, unbuilt).
//
//   node github-report.mjs sarif <file> <repo-relative dir> <dir as given>
//     GitHub reads relative artifact URIs from the repository root and rejects the whole upload
//     when one result has no location. So: prefix every URI with the reviewed directory, and anchor
//     project-wide results at the reviewed directory's package.json (or tsconfig.json). Prints the
//     verdict from the run properties.
//   node github-report.mjs markdown <file> <link base>
//     Prints the Markdown with relative file links made absolute (job summaries and comments do
//     not resolve relative links against the repository).
import fs from 'node:fs';
import path from 'node:path';

const [mode, file, ...rest] = process.argv.slice(2);

if (mode === 'sarif') {
  const [prefix = '', dir = '.'] = rest;
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  const run = log.runs[0];
  const anchor = ['package.json', 'tsconfig.json'].find((name) => fs.existsSync(path.join(dir, name)));
  const encodedPrefix = prefix ? `${prefix.split('/').map(encodeURIComponent).join('/')}/` : '';
  const relocate = (location) => {
    const artifact = location?.physicalLocation?.artifactLocation;
    if (artifact && artifact.uriBaseId === '%SRCROOT%') artifact.uri = `${encodedPrefix}${artifact.uri}`;
  };
  const kept = [];
  for (const result of run.results) {
    for (const location of result.locations ?? []) relocate(location);
    for (const location of result.relatedLocations ?? []) relocate(location);
    if (!result.locations?.length) {
      if (!anchor) {
        console.error(`temporal-preflight: left out of code scanning (no file to anchor it at): ${result.ruleId}`);
        continue;
      }
      result.locations = [
        {
          physicalLocation: {
            artifactLocation: { uri: `${encodedPrefix}${anchor}`, uriBaseId: '%SRCROOT%' },
            region: { startLine: 1 },
          },
          message: { text: 'Project-wide finding, shown at the project manifest.' },
        },
      ];
      result.properties = { ...result.properties, projectWide: true };
    }
    kept.push(result);
  }
  run.results = kept;
  for (const notification of run.invocations?.[0]?.toolExecutionNotifications ?? []) {
    for (const location of notification.locations ?? []) relocate(location);
  }
  fs.writeFileSync(file, `${JSON.stringify(log, null, 2)}\n`);
  process.stdout.write(`${run.properties?.verdict ?? 'NO-GO'}\n`);
} else if (mode === 'markdown') {
  const [linkBase = ''] = rest;
  const text = fs.readFileSync(file, 'utf8');
  // Text in the report escapes "[", "]", "(" and ")", so "](" only ever opens a link target.
  process.stdout.write(linkBase ? text.replace(/\]\((?![a-z]+:)([^)\s]+)\)/g, (_, target) => `](${linkBase}${target})`) : text);
} else {
  console.error('usage: github-report.mjs sarif <file> <prefix> <dir> | markdown <file> <link base>');
  process.exit(2);
}
