import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveExports, RuntimeResolver } from '../../../src/model/typescript/sandbox/runtime-resolve.js';
import { fixturesDir } from './fixtures-dir.js';

const project = path.join(fixturesDir, 'determinism-violations');
const from = path.join(project, 'src/workflows.ts');

describe('resolveExports (webpack web-target conditions)', () => {
  const conditional = { '.': { types: './index.d.ts', node: './node.js', browser: './browser.js', default: './node.js' } };

  it('prefers the browser build over the node build', () => {
    expect(resolveExports(conditional, '.', 'import')).toBe('./browser.js');
  });

  it('takes import or require by the kind of request', () => {
    const dual = { import: './esm/index.js', require: './cjs/index.js' };
    expect(resolveExports(dual, '.', 'import')).toBe('./esm/index.js');
    expect(resolveExports(dual, '.', 'require')).toBe('./cjs/index.js');
  });

  it('resolves subpath patterns and refuses unexported subpaths', () => {
    const patterns = { '.': './index.js', './features/*': './dist/features/*.js', './internal/*': null };
    expect(resolveExports(patterns, './features/a', 'import')).toBe('./dist/features/a.js');
    expect(resolveExports(patterns, './internal/x', 'import')).toBeNull();
    expect(resolveExports(patterns, './missing', 'import')).toBeNull();
  });

  it('reads a string or an array as the main export', () => {
    expect(resolveExports('./main.js', '.', 'require')).toBe('./main.js');
    expect(resolveExports([{ worker: './w.js' }, './fallback.js'], '.', 'require')).toBe('./fallback.js');
  });
});

describe('RuntimeResolver', () => {
  const resolver = new RuntimeResolver();

  it('resolves a relative .js request to the .ts source beside it', () => {
    expect(resolver.resolve(from, './lib/format.js', 'import')).toBe(path.join(project, 'src/lib/format.ts'));
  });

  it('resolves a package through main and the browser field file map', () => {
    expect(resolver.resolve(from, 'fake-logger', 'import')).toBe(path.join(project, 'node_modules/fake-logger/index.js'));
    const index = path.join(project, 'node_modules/browser-mapped/index.js');
    expect(resolver.resolve(index, './server.js', 'require')).toBe(path.join(project, 'node_modules/browser-mapped/client.js'));
  });

  it('resolves exports with the browser condition', () => {
    expect(resolver.resolve(from, 'iso-random', 'import')).toBe(path.join(project, 'node_modules/iso-random/browser.js'));
  });

  it('returns null for a package that is not installed', () => {
    expect(resolver.resolve(from, 'not-installed-anywhere', 'import')).toBeNull();
  });
});
