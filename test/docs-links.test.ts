// Every relative link in README.md and docs/ leads somewhere in this repository: the file exists
// and, for a link into a Markdown page, so does the heading its #anchor names. Pages ship in the
// npm package, so a link to a file outside the repository is a dead link for every user.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchFolder } from './helpers/scratch-folder.js';

const repoRoot = path.resolve(import.meta.dirname, '..');

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

/** Markdown text outside fenced code blocks and inline code spans. */
function prose(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .filter((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return false;
      }
      return !inFence;
    })
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, (c) => (c === '_' ? '_' : ''))
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(fs.readFileSync(file, 'utf8')).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** What is wrong with each relative link of a page, as `target: problem`. */
function brokenLinks(file: string): string[] {
  const problems: string[] = [];
  for (const match of prose(fs.readFileSync(file, 'utf8')).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = match[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [filePart, anchor] = target.split('#') as [string, string | undefined];
    const resolved = filePart ? path.resolve(path.dirname(file), decodeURIComponent(filePart)) : file;
    if (!fs.existsSync(resolved)) {
      problems.push(`${target}: no such file`);
      continue;
    }
    if (anchor && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) problems.push(`${target}: no such heading`);
  }
  return problems;
}

/** Markdown file names mentioned in prose (not links) that exist nowhere in the repository. */
function missingNamedFiles(file: string, known: Set<string>): string[] {
  const text = prose(fs.readFileSync(file, 'utf8')).replace(/\]\([^)]*\)/g, ']');
  return [...text.matchAll(/\b[\w.-]+\.md\b/g)].map((m) => m[0]).filter((name) => !known.has(name));
}

function repositoryMarkdownNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === '.git' || entry.name === 'dist') continue;
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else if (entry.name.endsWith('.md')) names.add(entry.name);
    }
  };
  walk(repoRoot);
  return names;
}

const pages = [path.join(repoRoot, 'README.md'), ...markdownFiles(path.join(repoRoot, 'docs'))];

describe('links in README.md and docs/', () => {
  it('finds a missing file and a missing heading (guards the check below)', () => {
    const dir = scratchFolder('links');

    fs.writeFileSync(path.join(dir, 'other.md'), '# Other page\n\n## 3. Retries\n');
    const page = path.join(dir, 'page.md');
    fs.writeFileSync(
      page,
      '# Page\n\nSee [facts](other.md#3-retries), [gone](TEMPORAL-FACTS.md), [bad anchor](other.md#4-heartbeats), [web](https://example.com/x.md).\n\n```md\n[in code](nowhere.md)\n```\n',
    );
    expect(brokenLinks(page)).toEqual(['TEMPORAL-FACTS.md: no such file', 'other.md#4-heartbeats: no such heading']);
  });

  it.each(pages.map((page) => [path.relative(repoRoot, page), page]))('%s: every relative link resolves', (_name, page) => {
    expect(brokenLinks(page)).toEqual([]);
  });

  const known = repositoryMarkdownNames();
  it.each(pages.map((page) => [path.relative(repoRoot, page), page]))('%s: names no Markdown file missing from the repository', (_name, page) => {
    expect(missingNamedFiles(page, known)).toEqual([]);
  });
});
