import { beforeAll, describe, expect, test } from 'vitest';
import type { ActivityImplementation } from '../../src/model/typescript/types.js';
import { at, fixtureModel } from './model-fixtures.js';

const basic = () => fixtureModel('model-basic').model;
const workers = () => fixtureModel('model-workers').model;
const activity = (model: ReturnType<typeof basic>, name: string): ActivityImplementation => {
  const found = model.activities.find((a) => a.name === name);
  if (!found) throw new Error(`no activity ${name}`);
  return found;
};

// The first build parses the SDK's declaration files: slow on a busy machine, so not in a test.
beforeAll(() => {
  fixtureModel('model-basic');
  fixtureModel('model-workers');
});

describe('activity implementations', () => {
  test('finds the exported functions of the implementation module (classes are not activities)', () => {
    expect(basic().activities.map((a) => `${a.name}@${at(basic(), a.location)}`)).toEqual([
      'charge@src/activities.ts:8',
      'reserve@src/activities.ts:34',
      'ship@src/activities.ts:38',
      'poll@src/activities.ts:42',
      'directHeartbeat@src/activities.ts:48',
      'withContext@src/activities.ts:52',
    ]);
  });

  test('finds activities registered through a factory and an object literal', () => {
    expect(workers().activities.map((a) => `${a.name}@${at(workers(), a.location)}`)).toEqual([
      'charge@src/activities/factory.ts:9',
      'reserve@src/activities/factory.ts:12',
      'refund@src/activities/factory.ts:21',
      'notify@src/activities/plain.ts:1',
      'audit@src/activities/plain.ts:2',
    ]);
  });

  test('sees a heartbeat through a helper in another module, with the call chain', () => {
    const { heartbeat } = activity(basic(), 'reserve');
    expect(heartbeat && at(basic(), heartbeat.location)).toBe('src/chunks.ts:6');
    expect(heartbeat?.via.map((v) => at(basic(), v))).toEqual(['src/activities.ts:35']);
  });

  test('sees Context.current().heartbeat() and a direct heartbeat()', () => {
    expect(at(basic(), activity(basic(), 'ship').heartbeat!.location)).toBe('src/activities.ts:39');
    expect(at(basic(), activity(basic(), 'directHeartbeat').heartbeat!.location)).toBe('src/activities.ts:49');
    expect(activity(basic(), 'charge').heartbeat).toBeNull();
  });

  test('sees a heartbeat on a Context passed to a helper as a parameter', () => {
    const { heartbeat } = activity(basic(), 'withContext');
    expect(heartbeat && at(basic(), heartbeat.location)).toBe('src/activities.ts:57');
    expect(heartbeat?.via.map((v) => at(basic(), v))).toEqual(['src/activities.ts:53']);
  });

  test('classifies every thrown error form with the type the server sees', () => {
    const thrown = activity(basic(), 'charge').thrownErrors.map((e) => ({
      line: e.location.line,
      how: e.how,
      type: e.type,
      nonRetryable: e.nonRetryable,
      extendsApplicationFailure: e.extendsApplicationFailure,
    }));
    expect(thrown).toEqual([
      { line: 10, how: 'class', type: 'PaymentDeclined', nonRetryable: false, extendsApplicationFailure: false },
      { line: 13, how: 'application-failure-non-retryable', type: 'AmountTooLarge', nonRetryable: true, extendsApplicationFailure: undefined },
      { line: 16, how: 'application-failure-create', type: 'CardExpired', nonRetryable: true, extendsApplicationFailure: undefined },
      // retryable() without a type defaults to 'Error' (TEMPORAL-FACTS §3).
      { line: 19, how: 'application-failure-retryable', type: 'Error', nonRetryable: false, extendsApplicationFailure: undefined },
      { line: 22, how: 'application-failure-new', type: 'Bad', nonRetryable: true, extendsApplicationFailure: undefined },
      { line: 25, how: 'class', type: 'OutOfStock', nonRetryable: 'unknown', extendsApplicationFailure: true },
      { line: 30, how: 'rethrow', type: null, nonRetryable: 'unknown', extendsApplicationFailure: undefined },
    ]);
  });

  test('finds long-running signs: loops over awaits (also in helpers), polls, sleeps and streams', () => {
    const signs = (model: ReturnType<typeof basic>, name: string) =>
      activity(model, name).longRunning.map((s) => `${s.kind}@${at(model, s.location)}`);
    // Ten fetches in a counted loop end in seconds: a capped loop is not a sign (issue 13).
    expect(signs(basic(), 'poll')).toEqual([]);
    expect(signs(basic(), 'reserve')).toEqual(['loop-with-await@src/chunks.ts:4']);
    expect(signs(workers(), 'reserve')).toEqual(['poll@src/activities/factory.ts:13', 'sleep@src/activities/factory.ts:14']);
    expect(signs(workers(), 'refund')).toEqual(['stream@src/activities/factory.ts:23']);
    expect(signs(basic(), 'ship')).toEqual([]);
  });

  test('gives parameter and return types from the checker', () => {
    const charge = activity(basic(), 'charge');
    const checker = basic().checkerFor(charge.file)!;
    expect(charge.parameterTypes.map((t) => checker.typeToString(t))).toEqual(['number']);
    expect(checker.typeToString(charge.returnType!)).toBe('Promise<string>');
  });
});
