// How a worker's Kubernetes workload is found and how a release reaches it, from manifests held in
// memory: in place, one workload per release, or left open by the manifests.

import { describe, expect, it } from 'vitest';
import { scanWorkloads } from '../../src/engine/kubernetes-workloads.js';
import { workerRollout, type WorkerIdentity } from '../../src/engine/worker-rollout.js';

function files(manifests: Record<string, string>) {
  return {
    globProjectFiles: () => Object.keys(manifests),
    readProjectFile: (file: string) => manifests[file],
  };
}

function deployment(name: string, container: string, extra = ''): string {
  return [
    'apiVersion: apps/v1',
    `kind: ${extra.startsWith('kind:') ? extra.slice(5).trim() : 'Deployment'}`,
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    container,
  ].join('\n');
}

const worker: WorkerIdentity = { files: ['apps/billing/src/worker.ts'], packageNames: ['billing-worker', 'billing'] };

function rollout(manifests: Record<string, string>) {
  const result = workerRollout(scanWorkloads(files(manifests)), worker);
  return { kind: result.kind, ...('workloads' in result && Array.isArray(result.workloads) ? { at: result.workloads.map((w) => `${w.file}:${w.strategyLine}`), matchedBy: result.matchedBy } : {}), ...('reason' in result ? { reason: result.reason } : {}) };
}

describe('worker rollout from Kubernetes manifests', () => {
  it('finds the worker by the script its command runs, and a StatefulSet with the default strategy rolls in place', () => {
    const manifests = {
      'k8s/billing.yaml': deployment('billing', '        - name: main\n          image: acme/shop:1\n          command: ["node", "dist/worker.js"]', 'kind: StatefulSet'),
      'k8s/api.yaml': deployment('api', '        - name: main\n          image: acme/shop:1\n          command: ["node", "dist/server.js"]'),
    };
    expect(rollout(manifests)).toEqual({ kind: 'in-place', at: ['k8s/billing.yaml:2'], matchedBy: 'command' });
  });

  it('leaves a StatefulSet updated on delete open', () => {
    const text = `${deployment('billing-worker', '        - name: main\n          image: acme/other:1', 'kind: StatefulSet')}\n  updateStrategy:\n    type: OnDelete\n`;
    expect(rollout({ 'k8s/billing.yaml': text })).toEqual({
      kind: 'undecided',
      at: ['k8s/billing.yaml:11'],
      matchedBy: 'name',
      reason: 'its pods are replaced only when someone deletes them (updateStrategy OnDelete)',
    });
  });

  it('treats a blue/green pair and a Temporal Worker Controller deployment as one workload per release', () => {
    const container = '        - name: main\n          image: acme/billing-worker:1';
    expect(rollout({ 'k8s/blue.yaml': deployment('billing-blue', container), 'k8s/green.yaml': deployment('billing-green', container) }).kind).toBe('per-release');
    expect(rollout({ 'k8s/twd.yaml': deployment('billing', container, 'kind: TemporalWorkerDeployment') }).kind).toBe('per-release');
  });

  it('reads a kustomize overlay that names the workload with the commit', () => {
    const manifests = {
      'deploy/base/deployment.yaml': deployment('billing', '        - name: main\n          image: acme/billing-worker:1'),
      'deploy/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'deploy/prod/kustomization.yaml': 'nameSuffix: -${GIT_SHA}\nresources:\n  - ../base\n',
    };
    expect(rollout(manifests).kind).toBe('per-release');
  });

  it('says an Argo Rollout scales the old pods down after the switch', () => {
    const text = `${deployment('billing', '        - name: main\n          image: acme/billing-worker:1', 'kind: Rollout')}\n  strategy:\n    blueGreen:\n      activeService: billing\n`;
    const result = rollout({ 'k8s/rollout.yaml': text });
    expect(result.kind).toBe('undecided');
    expect(result.reason).toContain('Argo Rollout (blueGreen)');
  });

  it('does not take the Temporal server for the worker, and reads Helm if/else branches', () => {
    const server = deployment('temporal-worker', '        - name: temporal-worker\n          image: temporalio/server:1.25.0');
    const helm = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ include "shop.fullname" . }}-api',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: api',
      '          {{- if .Values.digest }}',
      '          image: "{{ .Values.repo }}@{{ .Values.digest }}"',
      '          {{- else }}',
      '          image: "{{ .Values.repo }}:{{ .Values.tag }}"',
      '          {{- end }}',
    ].join('\n');
    expect(scanWorkloads(files({ 'chart/templates/api.yaml': helm })).map((w) => w.name)).toEqual(['{{ include "shop.fullname" . }}-api']);
    expect(rollout({ 'k8s/temporal.yaml': server, 'chart/templates/api.yaml': helm })).toEqual({ kind: 'unmatched' });
  });
});
