// Wording shared by the history checks' messages, so they read the same way.

import { formatSize } from '../../engine/duration.js';

/** "The only execution of workflow X", "3 of 40 executions of workflow X". */
export function executionsPhrase(affected: number, total: number, workflowType: string): string {
  if (total === 1) return `The only execution of workflow ${workflowType}`;
  if (affected === total) return `All ${total} executions of workflow ${workflowType}`;
  return `${affected} of ${total} executions of workflow ${workflowType}`;
}

/** The budget as the user wrote it when that is readable ("50KB"), else a size. */
export function formatBytesLike(bytes: number, written: string): string {
  return /^\s*\d+(\.\d+)?\s*[a-z]+\s*$/i.test(written) ? written.replace(/\s+/g, ' ').trim() : formatSize(bytes);
}
