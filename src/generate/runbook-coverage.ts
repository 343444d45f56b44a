// Which workflow types have a runbook in the runbook folder: a Markdown file named for the type
// (processOrder.md, process-order.md, process_order.md, any case) or one with a heading naming it.

import type { ProjectFiles } from './alert-rule-coverage.js';

export interface RunbookScan {
  dir: string;
  files: string[];
  /** The runbook file (relative to the project) of a workflow type, or undefined. */
  runbookFor(workflowType: string): string | undefined;
}

export function scanRunbooks(files: ProjectFiles, dir: string): RunbookScan {
  const folder = dir.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  const markdown = files.globProjectFiles([`${folder}/**/*.md`, `${folder}/**/*.markdown`]);
  const headings = new Map<string, string[]>();
  for (const file of markdown) {
    const text = files.readProjectFile(file) ?? '';
    headings.set(file, [...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1]!));
  }
  return {
    dir: folder,
    files: markdown,
    runbookFor(type) {
      const wanted = normalize(type);
      const byName = markdown.find((file) => normalize(file.split('/').pop()!.replace(/\.(md|markdown)$/, '')) === wanted);
      if (byName) return byName;
      const word = new RegExp(`(^|[^A-Za-z0-9_])${type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`, 'i');
      return markdown.find((file) => headings.get(file)!.some((heading) => word.test(heading)));
    },
  };
}

/** processOrder, process-order, Process_Order -> processorder */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
