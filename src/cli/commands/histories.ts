// `temporal-preflight histories <paths...>`: history analysis alone (no code review): per
// workflow type sizes, payloads, attempts and latencies, and the history checks.
import type { Command } from 'commander';
import { review } from '../../review.js';
import { renderHistoriesPretty } from '../../report/histories-pretty.js';
import { escapeControlCharactersIn } from '../../report/control-characters.js';
import { reviewReporters } from '../../report/index.js';
import { parseFailOn } from '../fail-on-option.js';
import { parseFormat } from '../format-option.js';
import type { CliIo } from '../io.js';
import { prettyLayout } from '../pretty-flags.js';

const HISTORIES_FORMATS = ['pretty', 'json', 'sarif', 'markdown', 'html'] as const;

interface HistoriesFlags {
  format?: string;
  output?: string;
  config?: string;
  failOn?: string;
  showPayloads?: boolean;
  verbose?: boolean;
}

export function registerHistories(program: Command, io: CliIo): void {
  program
    .command('histories')
    .description('analyze exported workflow histories: sizes, payloads, attempts, schedule-to-start, per workflow type')
    .argument('<paths...>', 'history JSON files, folders or globs')
    .option('--format <format>', `report format: ${HISTORIES_FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--config <file>', 'config file (default: preflight.config.{json,yaml,yml} in the current directory)')
    .option('--fail-on <severity>', 'what makes NO-GO: error or warning', 'error')
    .option('--show-payloads', 'show a truncated preview of the largest payloads (contents are hidden by default)')
    .option('--verbose', 'pretty: every finding in full, info included (default: errors in full, warnings grouped by check, info counted)')
    .action(async (paths: string[], flags: HistoriesFlags) => {
      const format = parseFormat(flags.format, HISTORIES_FORMATS, 'histories');
      const failOn = parseFailOn(flags.failOn);
      const { verbose, width } = prettyLayout(format, flags, io);
      const result = await review({
        dir: '.',
        skipCode: true,
        histories: paths,
        ...(flags.config ? { configFile: flags.config } : {}),
        ...(flags.showPayloads ? { showPayloads: true } : {}),
        failOn,
      });
      const color = io.color && !flags.output;
      io.writeOutput(format === 'pretty' ? renderHistoriesPretty(escapeControlCharactersIn(result), { color, verbose, ...(width ? { width } : {}) }) : reviewReporters[format](result, { color }), flags.output);
      io.setExitCode(result.verdict === 'GO' ? 0 : 1);
    });
}
