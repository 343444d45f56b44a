// Prevents workflows terminated by the payload size limit: a payload over 2 MiB is rejected by
// the server and fails the workflow, and payloads over 512 KiB are on their way there.

import { defineCheck } from '../define-check.js';
import { formatSize } from '../../engine/duration.js';
import { historyAnalysisOf, originLabel, type NotablePayload } from '../../model/history/index.js';
import { compareText } from '../../model/history/compare-text.js';

// TEMPORAL-FACTS.md section 5: limit.blobSize warns at 512 KiB and rejects at 2 MiB
const WARN_BYTES = 512 * 1024;
const LIMIT_BYTES = 2 * 1024 * 1024;

export default defineCheck({
  id: 'history-payload-over-limit',
  area: 'payloads',
  severity: 'warning',
  evidence: 'history',
  needs: 'histories',
  description: 'A payload over 512 KiB (warning) or 2 MiB (the server limit) in a history',
  run(ctx) {
    const analysis = historyAnalysisOf(ctx.histories);
    if (!analysis) return;
    // one finding per workflow type and payload origin: that is what the fix changes
    const groups = new Map<string, { workflowType: string; payloads: NotablePayload[] }>();
    for (const execution of analysis.executions) {
      for (const payload of execution.largePayloads) {
        if (payload.bytes < WARN_BYTES) continue;
        const key = `${execution.workflowType}\u0000${originLabel(payload.origin)}`;
        const group = groups.get(key) ?? { workflowType: execution.workflowType, payloads: [] };
        group.payloads.push(payload);
        groups.set(key, group);
      }
    }
    for (const { workflowType, payloads } of [...groups.values()]) {
      payloads.sort((a, b) => b.bytes - a.bytes || compareText(a.file, b.file) || a.eventId - b.eventId);
      const largest = payloads[0]!;
      const files = [...new Set(payloads.map((p) => p.file))].sort();
      const label = originLabel(largest.origin);
      const overLimit = largest.bytes >= LIMIT_BYTES;
      const many = payloads.length === 1 ? 'a payload' : `${payloads.length} payloads`;
      ctx.report({
        ...(files.length === 1 ? { file: largest.file } : {}),
        severity: overLimit ? 'error' : 'warning',
        message:
          `Workflow ${workflowType} has ${many} of 512 KiB or more from ${label} ` +
          `(largest ${formatSize(largest.bytes)}, ${largest.encoding}, event ${largest.eventId} in ${largest.file}${files.length > 1 ? `; ${files.length} files` : ''}). ` +
          (overLimit
            ? 'The server rejects payloads over 2 MiB: the command fails and the workflow is terminated.'
            : 'The server warns at 512 KiB and rejects payloads over 2 MiB, which terminates the workflow; the data also stays in history for the whole retention period.'),
        fix:
          'Pass an identifier or a storage reference (an order id, an object-store key) instead of the data, and load the data inside the activity that needs it; ' +
          'return summaries, not datasets.',
        data: {
          workflowType,
          origin: largest.origin,
          label,
          largestBytes: largest.bytes,
          encoding: largest.encoding,
          eventId: largest.eventId,
          largestFile: largest.file,
          payloads: payloads.length,
          files: files.length,
        },
      });
    }
  },
});
