// `temporal-preflight check [dir]`: static review (+ optional evidence) and the scorecard.
import type { Command } from 'commander';
import { review } from '../../review.js';
import { reviewReporters, REVIEW_FORMATS } from '../../report/index.js';
import { parseFormat } from '../format-option.js';
import type { CliIo } from '../io.js';
import { parseFailOn } from '../fail-on-option.js';
import { UsageError } from '../../engine/errors.js';
import { progressPrinter } from './replay.js';
import { prettyLayout } from '../pretty-flags.js';

interface CheckFlags {
  project?: string[];
  format?: string;
  output?: string;
  config?: string;
  failOn?: string;
  histories?: string[];
  showPayloads?: boolean;
  replay?: boolean;
  workflows?: string;
  python?: string;
  dataConverter?: string;
  interceptors?: string[];
  perturb?: boolean;
  linkBase?: string;
  verbose?: boolean;
  compact?: boolean;
  baseline?: string;
  updateBaseline?: boolean;
  since?: string;
}

export function registerCheck(program: Command, io: CliIo): void {
  program
    .command('check')
    .description('review the Temporal application in dir (default .) and print the go / no-go scorecard')
    .argument('[dir]', 'directory to review', '.')
    .option('-p, --project <tsconfig...>', 'tsconfig.json file(s) to review (default: discover them under dir)')
    .option('--format <format>', `report format: ${REVIEW_FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--config <file>', 'config file (default: preflight.config.{json,yaml,yml} in dir)')
    .option('--fail-on <severity>', 'what makes NO-GO: error or warning', 'error')
    .option('--histories <path...>', 'history JSON files, folders or globs: adds history evidence')
    .option('--show-payloads', 'show a truncated preview of the largest payloads (contents are hidden by default)')
    .option('--replay', 'replay the --histories against the workflow code: adds replay evidence to determinism')
    .option('--workflows <module>', 'the workflows module to replay against (with --replay)')
    .option('--python <interpreter>', "with --replay: replay the Python workflows with this interpreter (default for Python code: the project's .venv, else python3)")
    .option('--data-converter <module>', 'production data converter module for replay')
    .option('--interceptors <module...>', 'production workflow interceptor modules for replay')
    .option('--perturb', 'with --replay: replay again under another time zone, locale and clock')
    .option('--verbose', 'pretty: every finding in full, info included (default: errors in full, warnings grouped by check, info counted)')
    .option('--compact', 'pretty: one line per finding (file:line:col  severity  check-id  first sentence)')
    .option('--baseline <file>', 'report and fail only on findings this baseline file does not hold')
    .option('--update-baseline', 'with --baseline: write every current finding to the baseline file')
    .option('--since <ref>', 'report only findings in files changed since this git ref (or whose evidence changed)')
    .option('--link-base <url>', 'markdown: prefix for file links, e.g. https://github.com/o/r/blob/<sha>/')
    .action(async (dir: string, flags: CheckFlags) => {
      const format = parseFormat(flags.format, REVIEW_FORMATS, 'check');
      const failOn = parseFailOn(flags.failOn);
      const layout = prettyLayout(format, flags, io);
      if (flags.linkBase && format !== 'markdown') throw new UsageError('--link-base applies to --format markdown');
      if (!flags.replay && (flags.workflows || flags.perturb || flags.python)) throw new UsageError('--workflows, --python and --perturb go with --replay');
      if (flags.updateBaseline && !flags.baseline) throw new UsageError('--update-baseline needs --baseline <file>');
      const result = await review({
        dir,
        ...(flags.project ? { projects: flags.project } : {}),
        ...(flags.config ? { configFile: flags.config } : {}),
        ...(flags.histories ? { histories: flags.histories } : {}),
        ...(flags.showPayloads ? { showPayloads: true } : {}),
        ...(flags.replay
          ? {
              replay: {
                ...(flags.workflows ? { workflows: flags.workflows } : {}),
                ...(flags.python !== undefined ? { pythonInterpreter: flags.python } : {}),
                onWarning: (line: string) => io.stderr(`temporal-preflight: ${line}\n`),
                ...(flags.dataConverter ? { dataConverter: flags.dataConverter } : {}),
                ...(flags.interceptors ? { interceptors: flags.interceptors } : {}),
                ...(flags.perturb ? { perturb: true } : {}),
                onProgress: progressPrinter(io),
              },
            }
          : {}),
        failOn,
        ...(flags.baseline ? { baseline: { file: flags.baseline, ...(flags.updateBaseline ? { update: true } : {}) } } : {}),
        ...(flags.since !== undefined ? { since: flags.since } : {}),
      });
      const written = result.scope?.baseline?.updated ? result.scope.baseline.known : undefined;
      if (written !== undefined) io.stderr(`temporal-preflight: wrote ${written} finding${written === 1 ? '' : 's'} to the baseline ${flags.baseline}\n`);
      const options = { color: io.color && !flags.output, ...layout, ...(flags.linkBase ? { linkBase: flags.linkBase } : {}) };
      io.writeOutput(reviewReporters[format](result, options), flags.output);
      io.setExitCode(result.verdict === 'GO' ? 0 : 1);
    });
}
