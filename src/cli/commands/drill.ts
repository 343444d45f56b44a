// `temporal-preflight drill restart|outage|load`: run the user's worker against a real Temporal
// server (a throwaway dev server unless --address is given) and prove how it behaves.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { startDevServer } from '../../drill/dev-server.js';
import { exitOnSignals } from '../../drill/exit-cleanup.js';
import type { WorkerSource } from '../../drill/harness/protocol.js';
import { renderRestartPretty } from '../../drill/restart/render-restart.js';
import { baselineFromReport, type RestartDrillReport } from '../../drill/restart/restart-report.js';
import { runRestartDrill } from '../../drill/restart/restart-drill.js';
import type { Credentials } from '../../drill/connect.js';
import { loadScenario } from '../../drill/scenario.js';
import { parseDuration } from '../../engine/duration.js';
import { UsageError } from '../../engine/errors.js';
import { withinLimit, type LimitName } from '../../engine/input-limits.js';
import { parseFormat } from '../format-option.js';
import type { CliIo } from '../io.js';
import { registerLoadDrill } from './drill-load.js';
import { registerOutageDrill } from './drill-outage.js';

export interface DrillCommonFlags {
  address?: string;
  namespace: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  apiKey?: string;
  worker?: string;
  workerCommand?: string;
  workflows?: string;
  activities?: string;
  taskQueue?: string;
  scenario?: string;
  timeout?: string;
  format?: string;
  output?: string;
}

export function registerDrill(program: Command, io: CliIo): void {
  const drill = program.command('drill').description('drills against a real Temporal server: restart, outage, load');
  const restart = drill
    .command('restart')
    .description('kill the worker with SIGKILL in the middle of workflows and prove they all complete deterministically');
  addCommonOptions(restart)
    .option('--restarts <n>', 'SIGKILL restarts during the run', '3')
    .option('--seed <n>', 'seed for the kill moments', '1')
    .option('--baseline <report.json>', 'compare with this earlier `drill restart --format json` report instead of a run without restarts')
    .action(async (flags: DrillCommonFlags & { restarts: string; seed: string; baseline?: string }) => {
      const format = parseFormat(flags.format, ['pretty', 'json'] as const, 'drill restart');
      const restarts = wholeNumber(flags.restarts, '--restarts', 1);
      const seed = wholeNumber(flags.seed, '--seed', 0);
      const worker = workerSource(flags);
      const scenario = loadScenario(requireScenario(flags));
      const baseline = flags.baseline ? baselineFromReport(readReport(flags.baseline)) : undefined;
      const timeoutMs = durationFlag(flags.timeout, '--timeout', 300_000);
      const report = await withServer(flags, io, (target) =>
        runRestartDrill({
          ...target,
          worker,
          taskQueue: flags.taskQueue ?? target.taskQueue,
          scenario,
          restarts,
          seed,
          ...(baseline ? { baseline } : {}),
          timeoutMs,
          idPrefix: target.idPrefix,
          log: (line) => io.stderr(`${line}\n`),
        }),
      );
      io.writeOutput(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderRestartPretty(report, io.color && !flags.output), flags.output);
      io.setExitCode(report.verdict === 'pass' ? 0 : 1);
    });
  registerOutageDrill(drill, io);
  registerLoadDrill(drill, io);
  for (const command of drill.commands) command.exitOverride((error) => { throw error; });
  drill.exitOverride((error) => { throw error; });
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('--address <host:port>', 'a Temporal frontend (default: start a throwaway dev server)')
    .option('--namespace <ns>', 'namespace (use a staging one, never production)', 'default')
    .option('--tls-cert <file>', 'client certificate for mTLS (with --address)')
    .option('--tls-key <file>', 'client private key for mTLS')
    .option('--tls-ca <file>', 'server root CA certificate')
    .option('--api-key <key>', 'API key (Temporal Cloud); prefer the TEMPORAL_API_KEY environment variable')
    .option('--worker <module[#export]>', 'module exporting a function that creates the worker from { connection, namespace, taskQueue } overrides')
    .option('--worker-command <command>', 'a worker in any language, run with sh -c; it reads TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TEMPORAL_TASK_QUEUE')
    .option('--workflows <module>', 'workflows module (with --activities), when there is no worker module')
    .option('--activities <module>', 'activities module (with --workflows)')
    .option('--task-queue <name>', 'task queue for the drill (default: a fresh one, so no other worker takes its tasks)')
    .option('--scenario <file>', 'JSON or YAML list of { workflowType, args, count, taskQueue? }')
    .option('--timeout <duration>', 'how long the workflows may take to finish', '5m')
    .option('--format <format>', 'pretty or json', 'pretty')
    .option('-o, --output <file>', 'write the report to a file');
}

export interface DrillTarget {
  address: string;
  namespace: string;
  /** For --address: the mTLS files and API key (from --api-key or TEMPORAL_API_KEY). None for a dev server. */
  credentials: Credentials;
  taskQueue: string;
  idPrefix: string;
}

/** Runs `fn` against --address, or against a dev server started (and stopped) for it. */
export async function withServer<T>(flags: DrillCommonFlags, io: CliIo, fn: (target: DrillTarget) => Promise<T>): Promise<T> {
  // a fresh task queue and id prefix per run, so reruns in a shared namespace never collide
  const stamp = Date.now().toString(36);
  const common = { taskQueue: `preflight-drill-${stamp}`, idPrefix: `preflight-${stamp}` };
  const given = (['tlsCert', 'tlsKey', 'tlsCa', 'apiKey'] as const).filter((key) => flags[key]);
  if (!flags.address && given.length > 0) throw new UsageError(`${given.map(flagName).join(', ')} need --address: the throwaway dev server takes plain connections`);
  // Ctrl-C or SIGTERM mid-drill: exit through the cleanups (server, worker, temporary folders)
  const releaseSignals = exitOnSignals((line) => io.stderr(`${line}\n`));
  try {
    if (flags.address) return await fn({ address: flags.address, namespace: flags.namespace, credentials: credentialsFrom(flags), ...common });
    io.stderr('starting a Temporal dev server on a free loopback port\n');
    const server = await startDevServer(flags.namespace !== 'default' ? { namespace: flags.namespace } : {});
    try {
      return await fn({ address: server.address, namespace: server.namespace, credentials: {}, ...common });
    } finally {
      await server.stop();
    }
  } finally {
    releaseSignals();
  }
}

function credentialsFrom(flags: DrillCommonFlags, env: NodeJS.ProcessEnv = process.env): Credentials {
  const apiKey = flags.apiKey ?? env['TEMPORAL_API_KEY'];
  return {
    ...(flags.tlsCert ? { tlsCert: flags.tlsCert } : {}),
    ...(flags.tlsKey ? { tlsKey: flags.tlsKey } : {}),
    ...(flags.tlsCa ? { tlsCa: flags.tlsCa } : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function workerSource(flags: DrillCommonFlags): WorkerSource {
  const given = [flags.worker && '--worker', flags.workerCommand !== undefined && '--worker-command', flags.workflows && '--workflows'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give one of --worker, --worker-command or --workflows (with --activities), not ${given.join(' and ')}`);
  if (flags.workerCommand !== undefined) {
    if (!flags.workerCommand.trim()) throw new UsageError('--worker-command: empty command');
    return { kind: 'command', command: flags.workerCommand };
  }
  if (flags.worker) {
    const [module, exportName] = flags.worker.split('#') as [string, string | undefined];
    return { kind: 'module', module: existingModule(module, '--worker'), ...(exportName ? { exportName } : {}) };
  }
  if (flags.workflows) {
    return {
      kind: 'parts',
      workflows: existingModule(flags.workflows, '--workflows'),
      ...(flags.activities ? { activities: existingModule(flags.activities, '--activities') } : {}),
    };
  }
  throw new UsageError('the drill needs the worker: --worker <module>, --worker-command "<command>" or --workflows <module> --activities <module>');
}

export function requireScenario(flags: DrillCommonFlags): string {
  if (!flags.scenario) throw new UsageError('the drill needs --scenario <file> listing the workflows to start');
  return flags.scenario;
}

export function wholeNumber(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} ${value}: expected a whole number of at least ${min}`);
  return n;
}

export function durationFlag(value: string | undefined, flag: string, fallback: number, limit: LimitName = 'drillDurationMs'): number {
  if (value === undefined) return fallback;
  const ms = parseDuration(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value);
  if (ms === null || ms < 0) throw new UsageError(`${flag} ${value}: expected a duration such as 500ms, 10s or 5m`);
  return withinLimit(flag, value, ms, limit);
}

function existingModule(module: string, flag: string): string {
  const absolute = path.resolve(module);
  for (const candidate of [absolute, `${absolute}.ts`, `${absolute}.js`]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new UsageError(`${flag} ${module}: no such module`);
}

function readReport(file: string): RestartDrillReport {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as RestartDrillReport;
    if (report.drill !== 'restart' || !Array.isArray(report.workflows)) throw new Error('not a restart drill report');
    return report;
  } catch (error) {
    throw new UsageError(`${file}: not a \`drill restart --format json\` report (${String(error instanceof Error ? error.message : error).split('\n')[0]})`);
  }
}
