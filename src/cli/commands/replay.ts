// `temporal-preflight replay`: replay histories against the workflow code about to be deployed.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { PythonReplayTarget } from '../../drill/replay/python/python-replay.js';
import type { ReplayReport } from '../../drill/replay/replay-report.js';
import { UsageError } from '../../engine/errors.js';
import { escapeControlCharactersIn } from '../../report/control-characters.js';
import { parseFormat } from '../format-option.js';
import type { CliIo } from '../io.js';

interface ReplayFlags {
  workflows?: string;
  python?: string;
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
    .option('--workflows <module>', 'the workflows module (as in workflowsPath); for Python, the project directory or a .py file')
    .option('--python <interpreter>', "replay Python workflows with this interpreter (default: the project's .venv/bin/python or venv/bin/python, else python3)")
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
      const python = pythonTarget(flags);
      if (!python && !flags.workflows) throw new UsageError('replay needs --workflows <module> (TypeScript) or --python <interpreter> (Python)');
      if (!paths.length && !flags.address) throw new UsageError('replay needs history paths or --address to stream them from a namespace');
      const { python: _interpreter, ...rest } = flags;
      const report = await replayToReport({ ...rest, ...(python ? { python } : {}), paths }, io);
      io.writeOutput(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderReplayPretty(escapeControlCharactersIn(report), io.color && !flags.output), flags.output);
      const failed = report.summary.nondeterminism + report.summary.error + (report.perturbed?.changed.length ?? 0);
      io.setExitCode(failed > 0 ? 1 : 0);
    });
}

export async function replayToReport(flags: Omit<ReplayFlags, 'python'> & { python?: PythonReplayTarget; paths: string[] }, io: Pick<CliIo, 'stderr' | 'isTTY'>): Promise<ReplayReport> {
  const { replayHistories } = await import('../../drill/replay/replay-histories.js');
  return replayHistories({
    ...(flags.python ? { python: flags.python } : flags.workflows ? { workflows: flags.workflows } : {}),
    onWarning: (line) => io.stderr(`temporal-preflight: ${line}\n`),
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

/**
 * Python replay when --python is given or --workflows names a .py file or a directory that is not
 * a TypeScript module (no index.ts / index.js): the project is that directory, the nearest folder
 * above the file with pyproject.toml, setup.cfg, setup.py or a virtual environment, or the
 * current directory.
 */
function pythonTarget(flags: ReplayFlags): PythonReplayTarget | undefined {
  const interpreter = flags.python !== undefined ? { interpreter: flags.python } : {};
  if (!flags.workflows) return flags.python !== undefined ? { projectDir: process.cwd(), ...interpreter } : undefined;
  const target = path.resolve(flags.workflows);
  if (target.endsWith('.py')) {
    if (!fs.existsSync(target)) throw new UsageError(`--workflows ${flags.workflows}: no such file`);
    return { projectDir: pythonProjectOf(target), onlyFile: target, ...interpreter };
  }
  const isDir = fs.existsSync(target) && fs.statSync(target).isDirectory();
  if (isDir && !['index.ts', 'index.js', 'index.mts', 'index.mjs'].some((name) => fs.existsSync(path.join(target, name)))) return { projectDir: target, ...interpreter };
  if (flags.python !== undefined) throw new UsageError(`--python goes with a Python project: --workflows ${flags.workflows} is a TypeScript module`);
  return undefined;
}

function pythonProjectOf(file: string): string {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (['pyproject.toml', 'setup.cfg', 'setup.py', '.venv', 'venv'].some((name) => fs.existsSync(path.join(dir, name)))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(file);
  }
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
