// Issue 13 (postiz): under nestjs-temporal-core only @ActivityMethod() methods of an @Activity()
// class are registered. An undecorated method of the class a proxy names is not an activity; the
// activity type of that name is whatever class registers it. Over
// test/fixtures/model-nestjs-activity-methods.

import { describe, expect, it } from 'vitest';
import { activityUsesOf } from '../../src/model/typescript/activity-options/activity-uses.js';
import { fixtureModel } from './model-fixtures.js';

describe('activity classes with decorators', () => {
  const { model } = fixtureModel('model-nestjs-activity-methods');
  const rel = (file: string) => file.slice(model.root.length + 1);

  it('takes only the decorated methods, under the name the decorator gives', () => {
    expect(model.activities.map((a) => `${a.name} ${rel(a.file)}:${a.location.line}`)).toEqual([
      'getIntegration src/integrations.activities.ts:9',
      'refreshToken src/post.activities.ts:9',
      'publish-post src/post.activities.ts:14',
    ]);
  });

  it('resolves refreshToken taken from the IntegrationActivities proxy to the class that registers it', () => {
    const proxy = model.activityProxies.find((p) => p.location.line === 5)!;
    const refresh = activityUsesOf(model, proxy).find((use) => use.type === 'refreshToken')!;
    expect(refresh.implementations.map((impl) => `${rel(impl.file)}:${impl.location.line}`)).toEqual(['src/post.activities.ts:9']);
  });
});
