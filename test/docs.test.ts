// Every registered check has docs/checks/<id>.md explaining why it matters, with an incorrect and
// a correct example (each a fenced code block under its heading).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/index.js';

const docsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/checks');

interface Section {
  heading: string;
  body: string;
}

/** The `##`/`###` sections of a Markdown page (headings inside code blocks ignored). */
function sectionsOf(markdown: string): Section[] {
  const sections: Section[] = [];
  let inFence = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^#{2,3}\s+(.*)$/.exec(line);
    if (heading) sections.push({ heading: heading[1]!.trim(), body: '' });
    else if (sections.length > 0) sections[sections.length - 1]!.body += `${line}\n`;
  }
  return sections;
}

/** What a docs page lacks; empty when it has a why section and both examples with code. */
function docsProblems(markdown: string): string[] {
  const sections = sectionsOf(markdown);
  const hasCode = (section: Section | undefined) => section !== undefined && /^\s*(```|~~~)/m.test(section.body);
  const why = sections.find((s) => /\bwhy\b/i.test(s.heading));
  const incorrect = sections.find((s) => /\b(incorrect|bad|wrong)\b/i.test(s.heading));
  const correct = sections.find((s) => /\b(correct|good|fixed)\b/i.test(s.heading) && !/\bincorrect\b/i.test(s.heading));
  const problems: string[] = [];
  if (!why || why.body.trim() === '') problems.push('no "Why it matters" section');
  if (!hasCode(incorrect)) problems.push('no "Incorrect" section with a code example');
  if (!hasCode(correct)) problems.push('no "Correct" section with a code example');
  return problems;
}

describe('check docs', () => {
  it('recognises a complete page and names what an incomplete one lacks', () => {
    const complete = '# x\n\n## Why it matters\n\nBecause.\n\n## Incorrect\n\n```ts\nbad();\n```\n\n## Correct\n\n```ts\ngood();\n```\n';
    expect(docsProblems(complete)).toEqual([]);
    const noExamples = '# x\n\n## Why it matters\n\nBecause.\n\n## Incorrect\n\nprose only\n\n## Notes\n\n```md\n## Correct\n```\n';
    expect(docsProblems(noExamples)).toEqual(['no "Incorrect" section with a code example', 'no "Correct" section with a code example']);
  });

  for (const check of checks) {
    it(`documents ${check.id} in docs/checks/${check.id}.md with why, an incorrect and a correct example`, () => {
      const file = path.join(docsDir, `${check.id}.md`);
      expect(fs.existsSync(file), `${file} is missing`).toBe(true);
      expect(docsProblems(fs.readFileSync(file, 'utf8'))).toEqual([]);
    });
  }
});
