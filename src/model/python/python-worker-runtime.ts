// The metrics runtime of each Python worker. The Python SDK takes the runtime from the client a
// worker is given (temporalio.worker.Worker reads the client's runtime, else Runtime.default()),
// and a client gets it from `Client.connect(..., runtime=rt)` or, without one, from the default
// runtime, which `Runtime.set_default(rt)` replaces. Metrics leave the process only when that
// runtime was built with `TelemetryConfig(metrics=PrometheusConfig(...) or OpenTelemetryConfig(...))`.
// The worker's client is followed through variables, helpers and modules (python-origins.ts);
// where that stops, the runtime is "cannot tell" with the reason.

import type { RuntimeInstallFacts, RuntimeReach, SourceLocation } from '../types.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { originsOf, qualifiedNameOf, shortText, type Origin } from './python-origins.js';
import { callArguments, locateNode, namedChildrenOf, unparenthesize } from './python-syntax.js';
import type { PythonWorker } from './python-temporal-calls.js';

const CLIENT_CONNECT = 'temporalio.client.Client.connect';
const RUNTIME = 'temporalio.runtime.Runtime';
const RUNTIME_DEFAULT = 'temporalio.runtime.Runtime.default';
const SET_DEFAULT = 'temporalio.runtime.Runtime.set_default';
const TELEMETRY_CONFIG = 'temporalio.runtime.TelemetryConfig';
const EXPORTERS: Record<string, RuntimeInstallFacts['metrics']> = {
  'temporalio.runtime.PrometheusConfig': 'prometheus',
  'temporalio.runtime.OpenTelemetryConfig': 'otel',
  // Buffered metrics are handed to the application, which may or may not forward them.
  'temporalio.runtime.MetricBuffer': 'unknown',
};

export interface PythonRuntimes {
  /** Every `Runtime(...)` of the project, with its metrics exporter. */
  installs: RuntimeInstallFacts[];
  /** The runtimes that reach each worker's client, by worker id. */
  byWorker: Map<string, RuntimeReach>;
}

export function pythonWorkerRuntimes(files: string[], modules: PythonModules, workers: PythonWorker[]): PythonRuntimes {
  const calledAs = (name: string | string[]) => (call: PythonNode, file: string) => {
    const callee = call.childForFieldName('function');
    const lasts = (Array.isArray(name) ? name : [name]).map((n) => n.slice(n.lastIndexOf('.') + 1));
    // Cheap test first: the callee must end with one of the names.
    if (!callee || !lasts.some((last) => callee.text.endsWith(last))) return false;
    const qualified = callee ? qualifiedNameOf(callee, file, modules) : undefined;
    return qualified !== undefined && (Array.isArray(name) ? name.includes(qualified) : qualified === name);
  };
  const isRuntime = calledAs([RUNTIME, RUNTIME_DEFAULT]);

  const metricsOf = (call: PythonNode, file: string): RuntimeInstallFacts => {
    const location = locateNode(file, call);
    const args = callArguments(call);
    const telemetry = args.keywords.get('telemetry');
    if (!telemetry) return { location, metrics: args.spreads.length ? 'unknown' : 'none' };
    const kinds = new Set<RuntimeInstallFacts['metrics']>();
    for (const config of originsOf(telemetry, file, modules, calledAs(TELEMETRY_CONFIG))) {
      if (config.kind === 'none') kinds.add('none');
      else if (config.kind === 'unknown') kinds.add('unknown');
      else {
        const configArgs = callArguments(config.node);
        const metrics = configArgs.keywords.get('metrics') ?? configArgs.positional[1];
        if (!metrics) {
          kinds.add(configArgs.spreads.length || configArgs.starred ? 'unknown' : 'none');
          continue;
        }
        for (const exporter of originsOf(metrics, config.file, modules, calledAs(Object.keys(EXPORTERS)), config.binding)) {
          if (exporter.kind !== 'target') kinds.add(exporter.kind === 'none' ? 'none' : 'unknown');
          else {
            const callee = exporter.node.childForFieldName('function');
            kinds.add(EXPORTERS[(callee && qualifiedNameOf(callee, exporter.file, modules)) ?? ''] ?? 'unknown');
          }
        }
      }
    }
    // An exporter on some path (`PrometheusConfig(...) if port else None`) is the configured one.
    const metrics = kinds.has('prometheus') ? 'prometheus' : kinds.has('otel') ? 'otel' : kinds.has('unknown') ? 'unknown' : 'none';
    return { location, metrics };
  };

  const installs: RuntimeInstallFacts[] = [];
  const defaults: RuntimeInstallFacts[] = [];
  for (const file of files) {
    const root = modules.files.get(file)?.tree.rootNode;
    if (!root) continue;
    for (const call of root.descendantsOfType('call')) {
      if (!call) continue;
      if (calledAs(RUNTIME)(call, file)) installs.push(metricsOf(call, file));
      else if (calledAs(SET_DEFAULT)(call, file)) {
        const argument = callArguments(call).positional[0] ?? callArguments(call).keywords.get('runtime');
        if (argument) defaults.push(...runtimesOf(originsOf(argument, file, modules, isRuntime), 'the runtime given to Runtime.set_default'));
      }
    }
  }

  function runtimesOf(origins: Origin[], what: string): RuntimeInstallFacts[] {
    const found: RuntimeInstallFacts[] = [];
    for (const origin of origins) {
      if (origin.kind === 'none') continue;
      if (origin.kind === 'unknown') {
        found.push({ location: locateNode(origin.file, origin.node), metrics: 'unknown', unknownReason: `${what} comes from code that cannot be followed (${origin.why})` });
        continue;
      }
      const callee = origin.node.childForFieldName('function');
      if (callee && qualifiedNameOf(callee, origin.file, modules) === RUNTIME_DEFAULT) continue;
      found.push(metricsOf(origin.node, origin.file));
    }
    return found;
  }

  const graph = importGraph(files, modules);
  const byWorker = new Map<string, RuntimeReach>();
  for (const worker of workers) {
    const call = callAt(modules, worker.location);
    const args = call ? callArguments(call) : undefined;
    const client = args?.keywords.get('client') ?? args?.positional[0];
    const reached: RuntimeInstallFacts[] = [];
    let usesDefault = false;
    let plugins: SourceLocation | undefined;
    if (!call || !client) {
      reached.push({ location: worker.location, metrics: 'unknown', unknownReason: 'its client is not given where it can be read' });
    } else {
      for (const origin of originsOf(client, worker.location.file, modules, calledAs(CLIENT_CONNECT))) {
        if (origin.kind === 'none') continue;
        if (origin.kind === 'unknown') {
          reached.push({ location: locateNode(origin.file, origin.node), metrics: 'unknown', unknownReason: `its client comes from code that cannot be followed (${origin.why})` });
          continue;
        }
        const connect = callArguments(origin.node);
        const pluginList = connect.keywords.get('plugins');
        if (pluginList && !isEmptyList(pluginList)) plugins ??= locateNode(origin.file, pluginList);
        const runtime = connect.keywords.get('runtime');
        if (!runtime) {
          if (connect.spreads.length) {
            reached.push({ location: locateNode(origin.file, connect.spreads[0]!), metrics: 'unknown', unknownReason: `the options spread into Client.connect (**${shortText(connect.spreads[0]!)}) may carry a runtime` });
          } else usesDefault = true;
          continue;
        }
        const runtimes = originsOf(runtime, origin.file, modules, isRuntime, origin.binding);
        if (runtimes.some((r) => r.kind === 'none' || (r.kind === 'target' && r.node.childForFieldName('function') && qualifiedNameOf(r.node.childForFieldName('function')!, r.file, modules) === RUNTIME_DEFAULT))) usesDefault = true;
        reached.push(...runtimesOf(runtimes, 'the runtime given to Client.connect'));
      }
    }
    if (usesDefault) {
      const process = graph.processOf(worker.location.file);
      reached.push(...defaults.filter((d) => process.has(d.location.file)));
    }
    if (plugins && !reached.some((r) => r.metrics === 'prometheus' || r.metrics === 'otel')) {
      reached.push({ location: plugins, metrics: 'unknown', unknownReason: 'a plugin given to Client.connect (plugins=...) may set the runtime' });
    }
    const unique = [...new Map(reached.map((r) => [`${r.location.file}:${r.location.line}:${r.location.column}`, r])).values()];
    byWorker.set(worker.id, { installs: unique, decided: true, entries: [] });
  }
  return { installs, byWorker };
}

function isEmptyList(node: PythonNode): boolean {
  const target = unparenthesize(node);
  if ((target.type === 'list' || target.type === 'tuple') && namedChildrenOf(target).length === 0) return true;
  // `plugins or []`: empty unless the caller passes some.
  return false;
}

/** The `Worker(...)` call at a location. */
export function callAt(modules: PythonModules, location: SourceLocation): PythonNode | undefined {
  const root = modules.files.get(location.file)?.tree.rootNode;
  const point = { row: location.line - 1, column: location.column - 1 };
  for (let node: PythonNode | null | undefined = root?.descendantForPosition(point); node; node = node.parent) {
    if (node.type === 'call' && node.startPosition.row === point.row && node.startPosition.column === point.column) return node;
  }
  return undefined;
}

/**
 * The files a process that runs a worker loads: every file from which the worker's file is
 * imported, directly or not, and everything those files import. A `Runtime.set_default` there may
 * run before the worker's client connects.
 */
export function importGraph(files: string[], modules: PythonModules) {
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const binding of modules.importsOf(file).values()) if (binding.file && binding.file !== file) targets.add(binding.file);
    for (const star of modules.starImportsOf(file)) if (star !== file) targets.add(star);
    forward.set(file, [...targets]);
    for (const target of targets) backward.set(target, [...(backward.get(target) ?? []), file]);
  }
  const walk = (starts: string[], edges: Map<string, string[]>) => {
    const seen = new Set(starts);
    const queue = [...starts];
    while (queue.length) for (const next of edges.get(queue.shift()!) ?? []) if (!seen.has(next)) (seen.add(next), queue.push(next));
    return seen;
  };
  return {
    processOf: (file: string) => walk([...walk([file], backward)], forward),
    /** The files and everything they import, directly or not. */
    processOfAll: (files: Iterable<string>) => walk([...files], forward),
    /** The file and every file that imports it, directly or not. */
    importersOf: (file: string) => walk([file], backward),
    /** True when no reviewed file imports the file. */
    imported: (file: string) => (backward.get(file)?.length ?? 0) > 0,
  };
}
