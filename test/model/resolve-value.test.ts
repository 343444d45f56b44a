import { beforeAll, describe, expect, test } from 'vitest';
import { fixtureModel, initializerOf, plain } from './model-fixtures.js';

const model = () => fixtureModel('model-values').model;
const valueOf = (name: string) => model().resolveValue(initializerOf(model(), 'src/values.ts', name));
const resolved = (name: string) => plain(valueOf(name));

// The first build parses the SDK's declaration files: slow on a busy machine, so not in a test.
beforeAll(() => {
  fixtureModel('model-values');
});

describe('resolveValue', () => {
  test('resolves literals of every kind', () => {
    expect(resolved('literalString')).toBe('text');
    expect(resolved('noSubstitutionTemplate')).toBe('template');
    expect(resolved('negativeNumber')).toBe(-5);
    expect(resolved('booleanValue')).toBe(true);
    expect(valueOf('undefinedValue').kind).toBe('undefined');
    expect(resolved('nullValue')).toBeNull();
  });

  test('decides === and == between known values, and leaves an unknown side unknown', () => {
    expect(resolved('objectIsUndefined')).toBe('some');
    expect(resolved('textDiffers')).toBe(true);
    expect(resolved('nullLooselyUndefined')).toBe(true);
    expect(valueOf('unknownCompared').kind).toBe('unknown');
  });

  test('sees through as const, satisfies and parentheses', () => {
    expect(resolved('wrapped')).toEqual({ a: 1 });
  });

  test('follows a local const', () => {
    expect(resolved('localConst')).toBe('local-value');
  });

  test('follows an imported const to the literal in its file', () => {
    const value = valueOf('importedConst');
    expect(plain(value)).toBe('30s');
    expect(value.location.file.endsWith('src/constants.ts')).toBe(true);
    expect(value.location.line).toBe(1);
  });

  test('follows a renamed re-export and export *', () => {
    expect(resolved('reExported')).toBe('30s');
    expect(resolved('starExported')).toBe(42);
  });

  test('follows a default import', () => {
    expect(resolved('defaultImport')).toBe('10m');
  });

  test('follows namespace imports and property access on resolved objects', () => {
    expect(resolved('namespaceAccess')).toBe('45s');
    expect(resolved('namespaceConst')).toBe('30s');
  });

  test('applies spreads with later keys winning', () => {
    expect(resolved('spread')).toEqual({ startToCloseTimeout: '2m', retry: { maximumAttempts: 3 } });
  });

  test('records a spread it cannot resolve', () => {
    const value = valueOf('unknownSpread');
    expect(plain(value)).toEqual({ startToCloseTimeout: '1m', '...': ['loadOptions()'] });
    expect(value.kind === 'object' && value.unknownSpreads[0]!.location.line).toBe(25);
  });

  test('merges Object.assign sources', () => {
    expect(resolved('assigned')).toEqual({ startToCloseTimeout: '1m', retry: { maximumAttempts: 3 }, heartbeatTimeout: '10s' });
  });

  test('resolves arrays with spreads and shorthand properties', () => {
    expect(resolved('array')).toEqual(['a', 'b', 'c']);
    expect(resolved('shorthand')).toEqual({ literalString: 'text', local: 'local-value' });
  });

  test('evaluates an imported helper with its arguments and parameter defaults', () => {
    expect(resolved('helperCall')).toEqual({ maximumAttempts: 5, initialInterval: '1s', backoffCoefficient: 2 });
  });

  test('evaluates an arrow helper with a destructured parameter', () => {
    expect(resolved('helperDestructured')).toEqual({ startToCloseTimeout: '3m', retry: { maximumAttempts: 3 } });
  });

  test('gives up on a helper with several returns', () => {
    expect(resolved('helperTwoReturns')).toEqual({ unknown: 'twoReturns(true)' });
  });

  test('marks process.env.X ?? default as configurable with the default value', () => {
    expect(resolved('envDefault')).toEqual({ value: '30s', env: 'ACTIVITY_TIMEOUT' });
    expect(resolved('envOr')).toEqual({ value: 4, env: 'MAX_ATTEMPTS' });
  });

  test('leaves a bare process.env.X unknown', () => {
    expect(resolved('envBare')).toEqual({ unknown: 'process.env.ACTIVITY_TIMEOUT' });
  });

  test('computes arithmetic and templates of known parts', () => {
    expect(resolved('arithmetic')).toBe(300000);
    expect(resolved('template')).toBe('text-300000');
  });

  test('returns unknown with the source text and location for what it cannot resolve', () => {
    const value = valueOf('unresolvable');
    expect(value).toMatchObject({ kind: 'unknown', text: "Math.random() > 0.5 ? 'a' : 'b'" });
    expect(value.location.line).toBe(37);
    expect(resolved('fromLet')).toEqual({ unknown: 'mutable' });
  });

  test('stops at cycles', () => {
    expect(resolved('cycleA')).toEqual({ next: { next: { next: { unknown: 'cycleB' } } } });
  });

  test('resolves proxy options through spreads and helpers', () => {
    const proxy = model().activityProxies[0]!;
    expect(plain(proxy.options)).toEqual({
      startToCloseTimeout: '1m',
      retry: { maximumAttempts: 2, initialInterval: '2s', backoffCoefficient: 2 },
    });
  });
});
