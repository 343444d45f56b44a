// `temporal-preflight drill outage`: a dependency (or an activity type) goes down while workflows
// start; measured attempts and Actions beside the simulation of the same inputs.
import type { Command } from 'commander';
import { runOutageDrill } from '../../drill/outage/outage-drill.js';
import { renderOutagePretty } from '../../drill/outage/render-outage.js';
import { expandScenario, loadScenario, MAX_DRILL_STARTS, type ScenarioEntry } from '../../drill/scenario.js';
import { UsageError } from '../../engine/errors.js';
import { withinLimit } from '../../engine/input-limits.js';
import { parseFormat } from '../format-option.js';
import type { CliIo } from '../io.js';
import { addCommonOptions, durationFlag, requireScenario, wholeNumber, withServer, workerSource, type DrillCommonFlags } from './drill.js';

interface OutageFlags extends DrillCommonFlags {
  failActivity?: string[];
  failDependency?: string[];
  outage: string;
  outageStart?: string;
  attemptDuration?: string;
  rate?: string;
}

export function registerOutageDrill(drill: Command, io: CliIo): void {
  const command = drill.command('outage').description('fail an activity type or a dependency for a window under load; measure retries and Actions beside the simulation');
  addCommonOptions(command)
    .option('--fail-activity <type...>', 'activity types that fail during the outage')
    .option('--fail-dependency <url-or-host...>', 'dependencies (URL prefix or host) whose fetch calls fail during the outage')
    .option('--outage <duration>', 'how long the dependency is down', '30s')
    .option('--outage-start <duration>', 'when the outage begins, after the first start', '0s')
    .option('--attempt-duration <duration>', 'how long a failing attempt takes (a connection timeout)', '0s')
    .option('--count <n>', 'workflows to start (sets the count of a one-entry scenario)')
    .option('--rate <per-second>', 'start rate (default: all at once)')
    .action(async (flags: OutageFlags & { count?: string }) => {
      const format = parseFormat(flags.format, ['pretty', 'json'] as const, 'drill outage');
      if (!flags.failActivity?.length && !flags.failDependency?.length) {
        throw new UsageError('drill outage needs --fail-activity <type> or --fail-dependency <url-or-host>');
      }
      const worker = workerSource(flags);
      if (worker.kind === 'command' && flags.failDependency?.length) {
        throw new UsageError('drill outage --fail-dependency wraps fetch inside a TypeScript worker; a --worker-command worker takes --fail-activity (Python workers)');
      }
      const starts = expandScenario(withCount(loadScenario(requireScenario(flags)), flags.count));
      const rate = flags.rate === undefined ? undefined : positiveNumber(flags.rate, '--rate');
      // every flag is checked before the server starts: a bad one must not cost a drill
      const outageMs = durationFlag(flags.outage, '--outage', 30_000, 'drillOutageMs');
      const outageStartMs = durationFlag(flags.outageStart, '--outage-start', 0);
      const attemptDurationMs = durationFlag(flags.attemptDuration, '--attempt-duration', 0);
      const timeoutMs = durationFlag(flags.timeout, '--timeout', 300_000);
      const report = await withServer(flags, io, (target) =>
        runOutageDrill({
          address: target.address,
          namespace: target.namespace,
          credentials: target.credentials,
          worker,
          taskQueue: flags.taskQueue ?? target.taskQueue,
          starts,
          ...(rate ? { ratePerSecond: rate } : {}),
          failActivityTypes: flags.failActivity ?? [],
          failDependencies: flags.failDependency ?? [],
          outageMs,
          outageStartMs,
          attemptDurationMs,
          timeoutMs,
          idPrefix: target.idPrefix,
          log: (line) => io.stderr(`${line}\n`),
        }),
      );
      io.writeOutput(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderOutagePretty(report, io.color && !flags.output), flags.output);
      io.setExitCode(report.verdict === 'pass' ? 0 : 1);
    });
}

export function withCount(entries: ScenarioEntry[], count: string | undefined): ScenarioEntry[] {
  if (count === undefined) return entries;
  const n = wholeNumber(count, '--count', 1);
  if (n > MAX_DRILL_STARTS) throw new UsageError(`--count ${count}: more than the limit of ${MAX_DRILL_STARTS.toLocaleString('en-US')} starts per drill`);
  if (entries.length !== 1) throw new UsageError('--count applies to a scenario with one entry; set count in each entry instead');
  return [{ ...entries[0]!, count: n }];
}

export function positiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${value}: expected a number greater than 0`);
  return withinLimit(flag, value, n, 'ratePerSecond');
}
