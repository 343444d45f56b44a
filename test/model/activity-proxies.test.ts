import { beforeAll, describe, expect, test } from 'vitest';
import type { ActivityProxy } from '../../src/model/typescript/types.js';
import { at, fixtureModel, plain, rel } from './model-fixtures.js';

const model = () => fixtureModel('model-proxies').model;
const proxyAt = (line: number): ActivityProxy => {
  const proxy = model().activityProxies.find((p) => p.location.line === line && p.origin === 'proxy');
  if (!proxy) throw new Error(`no proxy at line ${line}`);
  return proxy;
};
const used = (proxy: ActivityProxy) =>
  proxy.usedActivityTypes === 'all' ? 'all' : proxy.usedActivityTypes.map((u) => `${u.name}@${at(model(), u.location)}`);

// The first build parses the SDK's declaration files: slow on a busy machine, so not in a test.
beforeAll(() => {
  fixtureModel('model-proxies');
});

describe('activity proxies', () => {
  test('finds every proxyActivities and proxyLocalActivities call, also through a namespace import', () => {
    expect(model().activityProxies.map((p) => `${p.kind}/${p.origin}@${at(model(), p.location)}`)).toEqual([
      'remote/proxy@src/shared-proxy.ts:4',
      'remote/proxy@src/workflows.ts:6',
      'remote/proxy@src/workflows.ts:8',
      'remote/proxy@src/workflows.ts:10',
      'remote/proxy@src/workflows.ts:12',
      'local/proxy@src/workflows.ts:28',
      'remote/override@src/workflows.ts:30',
    ]);
  });

  test('collects property accesses on the variable holding the proxy, in any function', () => {
    expect(used(proxyAt(6))).toEqual(['sendEmail@src/workflows.ts:15', 'sendSms@src/workflows.ts:20', 'sendSms@src/workflows.ts:34']);
  });

  test("counts 'all' when the proxy escapes or is destructured with a rest element", () => {
    expect(used(proxyAt(8))).toBe('all');
    expect(used(proxyAt(10))).toBe('all');
  });

  test('collects destructured names by their activity type, not the local rename', () => {
    expect(used(proxyAt(12))).toEqual(['refund@src/workflows.ts:12']);
  });

  test('follows an exported proxy into the files that import it under another name', () => {
    const shared = model().activityProxies.find((p) => rel(model(), p.location.file) === 'src/shared-proxy.ts')!;
    expect(used(shared)).toEqual(['sendSms@src/workflows.ts:24']);
    expect(shared.workflowNames).toEqual(['second']);
  });

  test('lists the workflows that use a module-level proxy, directly or through helpers', () => {
    expect(proxyAt(6).workflowNames).toEqual(['first', 'second']);
    expect(proxyAt(28).workflowNames).toEqual(['third']);
  });

  test('names the implementation module from typeof namespace, typeof import() and an interface', () => {
    expect(proxyAt(6).implementationFiles.map((f) => rel(model(), f))).toEqual(['src/activities.ts']);
    expect(proxyAt(8).implementationFiles.map((f) => rel(model(), f))).toEqual(['src/activities.ts']);
    expect(proxyAt(10).implementationFiles.map((f) => rel(model(), f))).toEqual(['src/activity-types.ts']);
  });

  test('exposes the callable properties of the type argument', () => {
    expect(proxyAt(6).exposedActivityTypes).toEqual(['sendEmail', 'sendSms']);
    expect(proxyAt(12).exposedActivityTypes).toEqual(['charge', 'refund']);
  });

  test('models executeWithOptions as an override merged over the base options', () => {
    const override = model().activityProxies.find((p) => p.origin === 'override')!;
    expect(override.baseProxyId).toBe(proxyAt(12).id);
    expect(override.id).toBe('src/workflows.ts:30:9');
    expect(plain(override.options)).toEqual({ startToCloseTimeout: '1m', retry: { maximumAttempts: 2 }, heartbeatTimeout: '5s' });
    expect(used(override)).toEqual(['refund@src/workflows.ts:12']);
    expect(override.workflowNames).toEqual(['third']);
  });
});
