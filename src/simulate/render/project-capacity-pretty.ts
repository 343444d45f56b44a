// --format pretty for `capacity [dir]`: one plan per task queue, then what could not be counted.
import pc from 'picocolors';
import type { ProjectCapacityReport } from '../../engine/project-capacity.js';
import { renderCapacityPretty } from './capacity-pretty.js';

export function renderProjectCapacityPretty(report: ProjectCapacityReport, color: boolean): string {
  const c = pc.createColors(color);
  const parts: string[] = [];
  for (const queue of report.queues) {
    const configured =
      queue.configuredSlots === null
        ? 'configured slots unknown (a tuner, an unresolved value or no worker)'
        : `configured ${queue.configuredSlots} slot(s) per worker process: ${queue.evaluation?.meetsTarget ? c.green('meets the target') : c.red('misses the target')}`;
    parts.push(
      `${c.bold(`task queue ${queue.taskQueue}`)} (${queue.slotKind} slots)${queue.complete ? '' : c.yellow(' - load is a lower bound, see below')}\n` +
        `  ${queue.activities.map((a) => `${a.name} ${round(a.ratePerSecond)}/s`).join(', ')}\n  ${configured}\n\n` +
        renderCapacityPretty(
          { plan: queue.plan, meanDurationMs: queue.meanDurationMs, durationCv: queue.durationCv, ...(queue.evaluation ? { evaluation: queue.evaluation } : {}) },
          { color, evaluationLabel: 'configured' },
        ),
    );
  }
  if (report.unknowns.length) {
    parts.push(`${c.bold('not counted')}\n${report.unknowns.map((u) => `  ${u.file ? c.dim(`${u.file}:${u.line}  `) : ''}${u.message}`).join('\n')}\n`);
  }
  return parts.join('\n');
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
