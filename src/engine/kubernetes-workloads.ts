// The Kubernetes workloads the repository's own manifests declare: Deployments, StatefulSets,
// DaemonSets, Argo Rollouts and Temporal Worker Controller deployments, in plain YAML, kustomize
// bases and overlays, and Helm templates (read as text: lines that hold only template actions are
// dropped and inline actions become a placeholder, as for alert rule files). What a check needs to
// tell how a worker is rolled out: the workload's name as written (a name built from the release
// makes one workload per release), its containers' images and commands, and its update strategy.

import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { stripTemplate, TEMPLATE_PLACEHOLDER, type ProjectFiles } from './alert-rule-files.js';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Rollout' | 'TemporalWorkerDeployment';

export interface WorkloadContainer {
  name: string;
  /** As written, template actions kept (`ghcr.io/acme/workers:{{ .Values.tag }}`). */
  image: string;
  /** command and args, each element as written. */
  command: string[];
  /** Its exec probes (httpGet, tcpSocket and grpc probes are not listed). */
  probes: ExecProbe[];
}

export interface ExecProbe {
  kind: 'liveness' | 'readiness' | 'startup';
  /** Line of the `livenessProbe:` (...) key. */
  line: number;
  /** exec.command, each element as written. */
  command: string[];
}

export interface Workload {
  /** Relative to the reviewed directory, forward slashes. */
  file: string;
  kind: WorkloadKind;
  /** Line of `kind:`. */
  line: number;
  /** metadata.name as written, template actions kept; '' when absent. */
  name: string;
  containers: WorkloadContainer[];
  /**
   * spec.strategy.type (Deployment), spec.updateStrategy.type (StatefulSet, DaemonSet),
   * `blueGreen` / `canary` (Rollout); 'default' when not written; 'templated' when a template sets it.
   */
  strategy: string;
  /** Line of the strategy key, else of `kind:`. */
  strategyLine: number;
  /** namePrefix / nameSuffix of kustomizations that include the file, directly or through a base. */
  kustomizeNameParts: string[];
}

const YAML_FILES = ['**/*.yml', '**/*.yaml'];
/** Third-party code kept in the repository: its manifests are not the project's. */
const VENDORED = /(^|\/)(vendor|third_party|third-party|venv|site-packages|bower_components)\//;
const WORKLOAD_KIND = /^[ \t]*kind[ \t]*:[ \t]*["']?(Deployment|StatefulSet|DaemonSet|Rollout|TemporalWorkerDeployment)["']?[ \t]*$/m;
const KUSTOMIZATION = /(^|\/)kustomization\.ya?ml$/i;
const KINDS = new Set<string>(['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout', 'TemporalWorkerDeployment']);

export function scanWorkloads(files: ProjectFiles): Workload[] {
  const workloads: Workload[] = [];
  const kustomizations: string[] = [];
  for (const file of files.globProjectFiles(YAML_FILES).sort()) {
    if (VENDORED.test(file)) continue;
    if (KUSTOMIZATION.test(file)) kustomizations.push(file);
    const text = files.readProjectFile(file);
    if (text === undefined || !WORKLOAD_KIND.test(text)) continue;
    workloads.push(...readWorkloads(file, text));
  }
  const nameParts = kustomizeNameParts(files, kustomizations);
  for (const workload of workloads) workload.kustomizeNameParts = nameParts(workload.file);
  return workloads;
}

/** The workloads of one manifest; a document that is not YAML even without its template actions is skipped. */
export function readWorkloads(file: string, text: string): Workload[] {
  const templated = text.includes('{{');
  const source = templated ? stripTemplate(text) : text;
  const original = text.split(/\r?\n/);
  const lineCounter = new LineCounter();
  const workloads: Workload[] = [];
  // a Helm template's if/else branches both write a key once the actions are dropped
  for (const document of parseAllDocuments(source, { lineCounter, uniqueKeys: false })) {
    if (!('errors' in document) || document.errors.length > 0) continue;
    const workload = readWorkload(file, document, lineCounter, original);
    if (workload) workloads.push(workload);
  }
  return workloads;
}

function readWorkload(file: string, document: Document, lines: LineCounter, original: string[]): Workload | undefined {
  const kindNode = document.getIn(['kind'], true);
  if (!isScalar(kindNode) || typeof kindNode.value !== 'string' || !KINDS.has(kindNode.value)) return undefined;
  const kind = kindNode.value as WorkloadKind;
  const lineOf = (node: unknown): number | undefined => {
    const range = (node as YamlNode | undefined)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  const asWritten = (node: unknown): string => {
    if (!isScalar(node)) return '';
    const value = String(node.value ?? '');
    if (!value.includes(TEMPLATE_PLACEHOLDER)) return value;
    // the template actions are what tell a per-release name from a fixed one: read the written line
    const line = original[(lineOf(node) ?? 0) - 1] ?? '';
    return /:[ \t]*(.*)$/.exec(line)?.[1]?.trim().replace(/^(["'])(.*)\1$/, '$2') ?? value;
  };
  const line = lineOf(kindNode) ?? 1;
  const containers: WorkloadContainer[] = [];
  const list = document.getIn(['spec', 'template', 'spec', 'containers'], true);
  if (isSeq(list)) {
    for (const item of list.items) {
      if (!isMap(item)) continue;
      const command = ['command', 'args'].flatMap((key) => {
        const value = item.get(key, true);
        if (isSeq(value)) return value.items.map(asWritten);
        return isScalar(value) ? [asWritten(value)] : [];
      });
      const probes = (['liveness', 'readiness', 'startup'] as const).flatMap((kind): ExecProbe[] => {
        const pair = item.items.find((entry) => isScalar(entry.key) && entry.key.value === `${kind}Probe`);
        const exec = isMap(pair?.value) ? pair.value.get('exec', true) : undefined;
        const written = isMap(exec) ? exec.get('command', true) : undefined;
        if (!pair || !isSeq(written)) return [];
        return [{ kind, line: lineOf(pair.key) ?? line, command: written.items.map(asWritten) }];
      });
      containers.push({ name: asWritten(item.get('name', true)), image: asWritten(item.get('image', true)), command, probes });
    }
  }
  const { strategy, strategyLine } = readStrategy(document, kind, lineOf, asWritten);
  return { file, kind, line, name: asWritten(document.getIn(['metadata', 'name'], true)), containers, strategy, strategyLine: strategyLine ?? line, kustomizeNameParts: [] };
}

function readStrategy(
  document: Document,
  kind: WorkloadKind,
  lineOf: (node: unknown) => number | undefined,
  asWritten: (node: unknown) => string,
): { strategy: string; strategyLine?: number } {
  const key = kind === 'Deployment' || kind === 'Rollout' ? 'strategy' : 'updateStrategy';
  const spec = document.get('spec', true);
  if (!isMap(spec)) return { strategy: 'default' };
  const pair = spec.items.find((item) => isScalar(item.key) && item.key.value === key);
  if (!pair) return { strategy: kind === 'TemporalWorkerDeployment' ? 'versioned' : 'default' };
  const strategyLine = lineOf(pair.key);
  const value = pair.value;
  if (kind === 'Rollout') {
    const shape = isMap(value) ? value.items.map((item) => (isScalar(item.key) ? String(item.key.value) : '')).find((k) => k === 'blueGreen' || k === 'canary') : undefined;
    return { strategy: shape ?? 'templated', strategyLine };
  }
  if (kind === 'TemporalWorkerDeployment') return { strategy: 'versioned', strategyLine };
  // `strategy:` followed only by template actions (`{{- toYaml .Values.strategy | nindent 4 }}`)
  if (!isMap(value)) return { strategy: 'templated', strategyLine };
  const type = asWritten(value.get('type', true));
  if (type === '') return { strategy: 'default', strategyLine };
  return { strategy: type.includes('{{') || type.includes(TEMPLATE_PLACEHOLDER) ? 'templated' : type, strategyLine };
}

/**
 * For each manifest, the namePrefix / nameSuffix values of the kustomizations that include it,
 * directly or through the bases and components they list.
 */
function kustomizeNameParts(files: ProjectFiles, kustomizations: string[]): (file: string) => string[] {
  const byDirectory = new Map<string, { resources: string[]; nameParts: string[] }>();
  for (const file of kustomizations) {
    const text = files.readProjectFile(file);
    if (text === undefined) continue;
    let parsed: unknown;
    try {
      parsed = parseAllDocuments(text)[0]?.toJS();
    } catch {
      continue;
    }
    if (!parsed || typeof parsed !== 'object') continue;
    const record = parsed as Record<string, unknown>;
    const directory = path.posix.dirname(file);
    const resources = ['resources', 'bases', 'components']
      .flatMap((key) => (Array.isArray(record[key]) ? (record[key] as unknown[]) : []))
      .filter((entry): entry is string => typeof entry === 'string')
      .map((entry) => path.posix.normalize(path.posix.join(directory, entry)));
    const nameParts = ['namePrefix', 'nameSuffix'].map((key) => record[key]).filter((v): v is string => typeof v === 'string' && v !== '');
    byDirectory.set(directory, { resources, nameParts });
  }
  return (file) => {
    const parts: string[] = [];
    for (const [directory, kustomization] of byDirectory) {
      if (includes(directory, file, byDirectory, new Set())) parts.push(...kustomization.nameParts);
    }
    return parts;
  };
}

function includes(directory: string, file: string, byDirectory: Map<string, { resources: string[] }>, seen: Set<string>): boolean {
  if (seen.has(directory)) return false;
  seen.add(directory);
  return (byDirectory.get(directory)?.resources ?? []).some((resource) => resource === file || (byDirectory.has(resource) && includes(resource, file, byDirectory, seen)));
}
