// `temporal-preflight replay`: replay histories against the workflow code about to be deployed.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { ReplayReport } from '../../drill/replay/replay-report.js';
import { UsageError } from '../../engine/errors.js';
import { escapeControlCharactersIn } from '../../report/control-characters.js';
import { parseFormat } from '../format-option.js';
import type { CliIo } from '../io.js';

interface ReplayFlags {
  workflows?: string;
  address?: string;
  namespace: string;
  query?: string;
  limit?: string;
  apiKey?: string;
  tlsCert?: string;
  tlsKey?: string;
  dataConverter?: string;
  interceptors?: string[];
  processes?: string;
  perturb?: boolean;
  format?: string;
  output?: string;
}

export function registerReplay(program: Command, io: CliIo): void {
  program
    .command('replay')
    .description('replay histories against the current workflow code and report nondeterminism')
    .argument('[histories...]', 'history files, folders or globs')
    .option('--workflows <module>', 'the workflows module (as in workflowsPath)')
    .option('--address <host:port>', 'stream histories from a live namespace instead of files')
    .option('--namespace <ns>', 'namespace', 'default')
    .option('--query <visibility query>', 'which executions to replay')
    .option('--limit <n>', 'at most this many executions from the namespace')
    .option('--api-key <key>', 'API key (or TEMPORAL_API_KEY)')
    .option('--tls-cert <file>', 'client certificate for mTLS')
    .option('--tls-key <file>', 'client private key for mTLS')
    .option('--data-converter <module>', 'module exporting payloadConverter / failureConverter / payloadCodecs used in production')
    .option('--interceptors <module...>', 'workflow interceptor modules used in production')
    .option('--processes <n>', 'replay worker processes (default: CPU count)')
    .option('--perturb', 'replay again under another time zone, locale and clock and report changed outcomes')
    .option('--format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write the report to a file')
    .action(async (paths: string[], flags: ReplayFlags) => {
      const format = parseFormat(flags.format, ['pretty', 'json'] as const, 'replay');
      if (!flags.workflows) throw new UsageError('replay needs --workflows <module>');
      if (!paths.length && !flags.address) throw new UsageError('replay needs history paths or --address to stream them from a namespace');
      const report = await replayToReport({ ...flags, workflows: flags.workflows, paths }, io);
      io.writeOutput(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderReplayPretty(escapeControlCharactersIn(report), io.color && !flags.output), flags.output);
      const failed = report.summary.nondeterminism + report.summary.error + (report.perturbed?.changed.length ?? 0);
      io.setExitCode(failed > 0 ? 1 : 0);
    });
}

export async function replayToReport(flags: ReplayFlags & { workflows: string; paths: string[] }, io: Pick<CliIo, 'stderr' | 'isTTY'>): Promise<ReplayReport> {
  const { replayHistories } = await import('../../drill/replay/replay-histories.js');
  return replayHistories({
    workflows: flags.workflows,
    paths: flags.paths,
    ...(flags.address
      ? {
          namespace: {
            address: flags.address,
            namespace: flags.namespace,
            ...(flags.query ? { query: flags.query } : {}),
            ...(flags.limit ? { limit: Number(flags.limit) } : {}),
            ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
            ...(flags.tlsCert ? { tlsCert: flags.tlsCert } : {}),
            ...(flags.tlsKey ? { tlsKey: flags.tlsKey } : {}),
          },
        }
      : {}),
    ...(flags.dataConverter ? { dataConverter: flags.dataConverter } : {}),
    ...(flags.interceptors ? { interceptors: flags.interceptors } : {}),
    ...(flags.processes ? { processes: Number(flags.processes) } : {}),
    ...(flags.perturb ? { perturb: true } : {}),
    onProgress: progressPrinter(io),
  });
}

/** Progress on stderr: a live counter on a terminal, a line per tenth otherwise. */
export function progressPrinter(io: Pick<CliIo, 'stderr' | 'isTTY'>) {
  return (label: string, done: number, total: number) => {
    if (io.isTTY) io.stderr(`\r${label} ${done}/${total}${done === total ? '\n' : ''}`);
    else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) io.stderr(`${label} ${done}/${total}\n`);
  };
}

export function renderReplayPretty(report: ReplayReport, color: boolean): string {
  const c = pc.createColors(color);
  const { ok, running, nondeterminism, error } = report.summary;
  const lines = [`replayed ${report.results.length} histories: ${c.green(`${ok} ok`)}, ${running ? `${running} still running (checked up to their last workflow task), ` : ''}${nondeterminism ? c.red(`${nondeterminism} nondeterminism`) : '0 nondeterminism'}, ${error ? c.red(`${error} error`) : '0 error'}`, ''];
  for (const r of report.results) {
    if (r.outcome === 'ok' || r.outcome === 'running') continue;
    const label = r.outcome === 'nondeterminism' ? c.red('NONDETERMINISM') : c.yellow('ERROR');
    lines.push(`  ${label}  ${r.file ?? r.workflowId}  ${r.workflowType}${r.workflowId && !r.workflowId.startsWith('replay-') ? c.dim(` (workflow id ${r.workflowId})`) : ''}`);
    if (r.expected || r.issued) lines.push(`    event ${r.eventId ?? '?'}: history has ${r.expected ?? '?'}, the code issued ${r.issued ?? '?'}`);
    if (r.location) lines.push(`    at ${c.cyan(`${r.location.file}:${r.location.line}:${r.location.column}`)}`);
    lines.push(`    ${c.dim(r.message)}`);
  }
  if (report.perturbed) {
    lines.push('', `perturbed replay (${report.perturbed.perturbations.join('; ')}): ${report.perturbed.changed.length} outcome change(s)`);
    for (const change of report.perturbed.changed) {
      lines.push(`  ${c.red('CHANGED')}  ${change.file ?? change.workflowId}: ${change.before} -> ${change.after} under ${change.perturbation}`);
      lines.push(`    ${c.dim(change.message)}`);
      lines.push('    the workflow depends on the worker\'s time zone, locale or clock: derive local times from an explicit zone passed as input');
    }
  }
  return `${lines.join('\n')}\n`;
}
