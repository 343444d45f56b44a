// Which workflow types have a runbook. In the runbook folder (config runbooks.dir): a Markdown file
// named for the type (processOrder.md, process-order.md, process_order.md, any case) or one with a
// heading naming it. Elsewhere in the project: a Markdown file whose name or title says "runbook"
// (ops/RUNBOOK.md, docs/oncall/payments-runbook.md) covers every type it mentions as a word, since
// teams keep one runbook per service more often than one per workflow type.

import type { ProjectFiles } from '../engine/alert-rule-files.js';

export interface RunbookScan {
  dir: string;
  /** Markdown files in the runbook folder. */
  files: string[];
  /** Markdown runbooks outside the folder (named or titled "runbook"). */
  elsewhere: string[];
  /** The runbook file (relative to the project) of a workflow type, or undefined. */
  runbookFor(workflowType: string): string | undefined;
}

const MARKDOWN = ['**/*.md', '**/*.markdown'];
/** Third-party code kept in the repository: its runbooks are not the project's. */
const VENDORED = /(^|\/)(vendor|third_party|third-party|venv|site-packages|bower_components)\//;

export function scanRunbooks(files: ProjectFiles, dir: string): RunbookScan {
  const folder = dir.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  const markdown = files.globProjectFiles([`${folder}/**/*.md`, `${folder}/**/*.markdown`]);
  const headings = new Map<string, string[]>();
  for (const file of markdown) {
    const text = files.readProjectFile(file) ?? '';
    headings.set(file, [...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1]!));
  }
  const inFolder = new Set(markdown);
  const texts = new Map<string, string>();
  for (const file of files.globProjectFiles(MARKDOWN)) {
    if (inFolder.has(file) || VENDORED.test(file)) continue;
    const text = files.readProjectFile(file);
    if (text !== undefined && isRunbook(file, text)) texts.set(file, text);
  }
  const elsewhere = [...texts.keys()].sort();
  return {
    dir: folder,
    files: markdown,
    elsewhere,
    runbookFor(type) {
      const wanted = normalize(type);
      const byName = markdown.find((file) => normalize(file.split('/').pop()!.replace(/\.(md|markdown)$/, '')) === wanted);
      if (byName) return byName;
      const word = new RegExp(`(^|[^A-Za-z0-9_])${type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`, 'i');
      const byHeading = markdown.find((file) => headings.get(file)!.some((heading) => word.test(heading)));
      if (byHeading) return byHeading;
      // Outside the folder the type only has to be mentioned, as written (case matters: a type
      // named `checkout` is not covered by the word "Checkout" opening a sentence).
      const mention = new RegExp(`(^|[^A-Za-z0-9_])${type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`);
      return elsewhere.find((file) => mention.test(texts.get(file)!));
    },
  };
}

/** A Markdown file named or titled as a runbook: `runbook` in the file name or the first heading. */
function isRunbook(file: string, text: string): boolean {
  if (/runbook/i.test(file.split('/').pop()!)) return true;
  const title = /^#\s+(.+)$/m.exec(text)?.[1] ?? /^title:\s*(.+)$/m.exec(text.startsWith('---') ? text.slice(0, 1000) : '')?.[1];
  return title !== undefined && /runbook/i.test(title);
}

/** processOrder, process-order, Process_Order -> processorder */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
