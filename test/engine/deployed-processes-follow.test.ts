// resolveCommand: the Temporal CLI run from npm is the server, not the project's code; with
// followWorkerNames a command named for a worker resolves to the files it runs; a node script
// outside the review is collected for the caller to read.

import { describe, expect, it } from 'vitest';
import { resolveCommand } from '../../src/engine/deployed-processes.js';

const project = (files: Record<string, string>) => ({
  globProjectFiles: (patterns: string[]) => Object.keys(files).filter((file) => patterns.some((pattern) => file === pattern.replace(/^\*\*\//, '') || file.endsWith(`/${pattern.replace(/^\*\*\//, '')}`))),
  readProjectFile: (file: string) => files[file],
});

describe('resolveCommand', () => {
  const files = { 'package.json': JSON.stringify({ scripts: { worker: 'tsx src/temporal/workers/orders-worker.ts' } }), 'start.js': "require('child_process')" };
  const ctx = { ...project(files), language: 'typescript' as const, files: ['src/temporal/workers/orders-worker.ts'], from: 'Dockerfile' };

  it('reads `npx @temporalio/cli server start-dev` as a program that is not the project', () => {
    expect(resolveCommand(ctx, 'npx @temporalio/cli server start-dev --port 7233')).toEqual({ kind: 'other' });
  });

  it('stops at a worker name unless asked to follow it', () => {
    expect(resolveCommand(ctx, 'npm run worker')).toEqual({ kind: 'worker-named', what: 'npm run worker' });
    expect(resolveCommand({ ...ctx, followWorkerNames: true }, 'npm run worker')).toEqual({ kind: 'files', files: ['src/temporal/workers/orders-worker.ts'] });
  });

  it('collects a node script outside the review', () => {
    const unreviewedScripts: string[] = [];
    expect(resolveCommand({ ...ctx, unreviewedScripts }, 'node start.js')).toEqual({ kind: 'other' });
    expect(unreviewedScripts).toEqual(['start.js']);
    expect(resolveCommand(ctx, 'node start.js')).toEqual({ kind: 'unknown', what: 'node start.js' });
  });
});
