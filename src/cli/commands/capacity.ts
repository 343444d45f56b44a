// `temporal-preflight capacity`: how many activity slots keep schedule-to-start under a target
// at a given load (Erlang C, TEMPORAL-FACTS.md §11), and how a given slot count fares.
import type { Command } from 'commander';
import { UsageError } from '../../engine/errors.js';
import { LIMITS, withinLimit } from '../../engine/input-limits.js';
import { renderCapacityPretty, type CapacityReport } from '../../simulate/render/capacity-pretty.js';
import { evaluateSlots, planSlots } from '../../simulate/slot-planner.js';
import { parseFormat } from '../format-option.js';
import type { CliIo } from '../io.js';
import { durationFlag, nonNegative, numberFlag, usageOnRangeError } from './simulate.js';
import { planProject } from '../../engine/project-capacity.js';
import { renderProjectCapacityPretty } from '../../simulate/render/project-capacity-pretty.js';

const FORMATS = ['pretty', 'json'] as const;

interface CapacityFlags {
  rate?: string;
  durationMean?: string;
  config?: string;
  project?: string[];
  durationCv: string;
  target: string;
  percentile: string;
  headroom: string;
  slots?: string;
  format?: string;
  output?: string;
}

export function registerCapacity(program: Command, io: CliIo): void {
  program
    .command('capacity')
    .description('size activity worker slots for a schedule-to-start target (Erlang C); with --slots, check a given count; with [dir], plan every task queue of the project from its config')
    .argument('[dir]', 'a project: plan each task queue from load in its preflight config')
    .option('--rate <per-second>', 'activities started per second at peak')
    .option('--duration-mean <duration>', 'mean activity duration, e.g. 2s')
    .option('-p, --project <tsconfig...>', 'with [dir]: tsconfig.json file(s) to review')
    .option('--config <file>', 'with [dir]: config file (default: preflight.config.{json,yaml,yml} in dir)')
    .option('--duration-cv <cv>', 'coefficient of variation of the duration (1 = exponential)', '1')
    .option('--target <duration>', 'schedule-to-start target at the percentile', '500ms')
    .option('--percentile <p>', 'percentile the target applies to', '99')
    .option('--headroom <x>', 'plan for this multiple of the rate', '2')
    .option('--slots <n>', 'evaluate this many slots (exit 1 when they miss the target)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the result to a file instead of stdout')
    .action(async (dir: string | undefined, flags: CapacityFlags) => {
      const format = parseFormat(flags.format, FORMATS, 'capacity');
      if (dir !== undefined) {
        if (flags.rate || flags.durationMean || flags.slots) throw new UsageError('give either [dir] (load from the config) or --rate/--duration-mean/--slots, not both');
        const report = await planProject(dir, flags);
        const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderProjectCapacityPretty(report, io.color && !flags.output);
        io.writeOutput(text, flags.output);
        io.setExitCode(report.queues.some((q) => q.evaluation && !q.evaluation.meetsTarget) ? 1 : 0);
        return;
      }
      if (flags.rate === undefined || flags.durationMean === undefined) throw new UsageError('capacity needs --rate and --duration-mean, or a project [dir]');
      const load = {
        ratePerSecond: withinLimit('--rate', flags.rate, positive('--rate', flags.rate), 'ratePerSecond'),
        meanDurationMs: withinLimit('--duration-mean', flags.durationMean, durationFlag('--duration-mean', flags.durationMean), 'activityDurationMs'),
        durationCv: withinLimit('--duration-cv', flags.durationCv, nonNegative('--duration-cv', flags.durationCv), 'durationCv'),
        targetMs: withinLimit('--target', flags.target, durationFlag('--target', flags.target), 'activityDurationMs'),
        percentile: numberFlag('--percentile', flags.percentile),
        headroom: withinLimit('--headroom', flags.headroom, numberFlag('--headroom', flags.headroom), 'headroom'),
      };
      if (!(load.meanDurationMs > 0)) throw new UsageError('--duration-mean must be more than 0');
      if (!(load.percentile > 0 && load.percentile < 100)) throw new UsageError('--percentile must be between 0 and 100, e.g. 99 or 99.9');
      if (!(load.headroom >= 1)) throw new UsageError('--headroom must be 1 or more (2 plans for twice the rate)');
      const busy = load.ratePerSecond * load.headroom * (load.meanDurationMs / 1000);
      if (!(busy <= LIMITS.offeredLoad.max)) {
        throw new UsageError(`--rate x --headroom x --duration-mean is ${busy.toPrecision(3)} busy slots at once: more than the limit of ${LIMITS.offeredLoad.text}`);
      }
      let slots: number | undefined;
      if (flags.slots !== undefined) {
        slots = withinLimit('--slots', flags.slots, numberFlag('--slots', flags.slots), 'slots');
        if (!Number.isInteger(slots) || slots < 1) throw new UsageError('--slots must be a whole number of 1 or more');
      }
      const plan = usageOnRangeError(() => planSlots(load));
      const report: CapacityReport = { plan, meanDurationMs: load.meanDurationMs, durationCv: load.durationCv };
      if (slots !== undefined) {
        const evaluation = evaluateSlots({ ...load, slots });
        report.evaluation = { ...evaluation, meetsTarget: evaluation.waitAtPercentile <= load.targetMs / 1000 };
      }
      const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderCapacityPretty(report, { color: io.color && !flags.output });
      io.writeOutput(text, flags.output);
      io.setExitCode(report.evaluation && !report.evaluation.meetsTarget ? 1 : 0);
    });
}

function positive(flag: string, value: string): number {
  const n = numberFlag(flag, value);
  if (!(n > 0)) throw new UsageError(`${flag} must be more than 0`);
  return n;
}
