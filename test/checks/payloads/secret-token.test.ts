// payload-carries-secret and a bare `token` (issue 13 held-out pattern 5): a token that is not a
// string is a domain term (a crypto asset, LLM token counts), not a credential.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../src/checks/index.js';
import { loadConfig } from '../../../src/engine/config.js';
import { runChecks } from '../../../src/engine/run-checks.js';
import { buildTemporalModel } from '../../../src/model/typescript/build-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

function review(name: string, checkId: string) {
  const root = path.join(fixturesDir, name);
  const { model } = buildTemporalModel({ root });
  return runChecks({ root, config: loadConfig(root).config, checks: checks.filter((c) => c.id === checkId), model }).findings;
}

describe('payload-carries-secret and a bare `token` that is not a string', () => {
  it('skips a token of type any, an object type or a number, and keeps `token: string` and a qualified accessToken', () => {
    const found = review('payloads-domain-token', 'payload-carries-secret');
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 20 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 24 },
    ]);
    expect(found.map((f) => f.data?.['paths'])).toEqual([['request.token'], ['session.accessToken']]);
  });
});

describe('payload-carries-secret and getters', () => {
  it('skips a getter declared in a class (not serialized) and keeps one written in an object literal', () => {
    const found = review('payloads-secret-getter', 'payload-carries-secret');
    expect(found.map(where)).toEqual([{ checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 18 }]);
    expect(found.map((f) => f.data?.['paths'])).toEqual([['result.apiKey']]);
  });
});

describe('payload-carries-secret and device push tokens', () => {
  // An APNs / FCM / Expo push token is the address of a device: sending a notification needs the
  // app's own server key or certificate, which the payload does not carry.
  it('skips push tokens (pushToken, fcmToken, PushTokenInput.token, deletePushToken(token)) and keeps credentials next to them', () => {
    const found = review('payloads-push-token', 'payload-carries-secret');
    expect(found.map(where)).toEqual([
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 21 },
      { checkId: 'payload-carries-secret', severity: 'warning', file: 'src/activities.ts', line: 25 },
    ]);
    expect(found.map((f) => f.data?.['paths'])).toEqual([['request.refreshToken', 'request.apiKey'], ['client.registrationAccessToken']]);
  });
});
