// `temporal-preflight drill load`: starts at twice the declared peak (or --rate) for a duration;
// schedule-to-start per task queue against the target and the capacity planner.
import type { Command } from 'commander';
import { runLoadDrill } from '../../drill/load/load-drill.js';
import { renderLoadPretty } from '../../drill/load/render-load.js';
import { loadScenario, type ScenarioEntry } from '../../drill/scenario.js';
import { parseDuration } from '../../engine/duration.js';
import { loadConfig, type PreflightConfig } from '../../engine/config.js';
import { UsageError } from '../../engine/errors.js';
import { parseFormat } from '../format-option.js';
import type { CliIo } from '../io.js';
import { addCommonOptions, durationFlag, requireScenario, withServer, workerSource, type DrillCommonFlags } from './drill.js';
import { positiveNumber } from './drill-outage.js';

interface LoadFlags extends DrillCommonFlags {
  rate?: string;
  duration: string;
  target?: string;
  config?: string;
}

export function registerLoadDrill(drill: Command, io: CliIo): void {
  const command = drill.command('load').description('drive starts at twice the declared peak and measure schedule-to-start against the target');
  addCommonOptions(command)
    .option('--rate <per-second>', 'starts per second for each workflow type of the scenario (default: headroom x the peak in the config)')
    .option('--duration <duration>', 'how long to drive starts', '30s')
    .option('--target <duration>', 'schedule-to-start p99 target (default: targets.scheduleToStartP99 in the config, 500ms)')
    .option('--config <file>', 'preflight config with load.workflows peaks (default: preflight.config.* in the current folder)')
    .action(async (flags: LoadFlags) => {
      const format = parseFormat(flags.format, ['pretty', 'json'] as const, 'drill load');
      const worker = workerSource(flags);
      const entries = loadScenario(requireScenario(flags));
      const { config, file } = loadConfig(process.cwd(), flags.config);
      const rates = startRates(entries, config, file, flags.rate);
      const targetP99Ms = durationFlag(flags.target, '--target', parseDuration(config.targets.scheduleToStartP99)!);
      const durationMs = durationFlag(flags.duration, '--duration', 30_000);
      const timeoutMs = durationFlag(flags.timeout, '--timeout', 300_000);
      const report = await withServer(flags, io, (target) =>
        runLoadDrill({
          address: target.address,
          namespace: target.namespace,
          credentials: target.credentials,
          worker,
          taskQueue: flags.taskQueue ?? target.taskQueue,
          entries,
          rates,
          durationMs,
          targetP99Ms,
          timeoutMs,
          idPrefix: target.idPrefix,
          log: (line) => io.stderr(`${line}\n`),
        }),
      );
      io.writeOutput(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderLoadPretty(report, io.color && !flags.output), flags.output);
      io.setExitCode(report.verdict === 'pass' ? 0 : 1);
    });
}

/** --rate for every type, else headroom x the config's declared peak of each type. */
function startRates(entries: ScenarioEntry[], config: PreflightConfig, file: string | null, rate: string | undefined): Map<string, number> {
  const rates = new Map<string, number>();
  for (const { workflowType } of entries) {
    if (rate !== undefined) {
      rates.set(workflowType, positiveNumber(rate, '--rate'));
      continue;
    }
    const peak = config.load.workflows[workflowType]?.peakStartsPerSecond;
    if (peak === undefined) {
      throw new UsageError(`${file ?? 'preflight.config.json'}: no load.workflows.${workflowType}.peakStartsPerSecond; declare the peak or pass --rate`);
    }
    rates.set(workflowType, peak * config.targets.headroom);
  }
  return rates;
}
