// payload-carries-secret on Python and device push tokens: an APNs / FCM / Expo push token is the
// address of a device, not a credential (sending needs the app's own server key, not in the payload).
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';

const root = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-push-token');
let secrets: Finding[];

beforeAll(async () => {
  const { findings } = await review({ dir: root, config: undefined });
  secrets = findings.filter((f) => f.checkId === 'payload-carries-secret');
});

describe('payload-carries-secret: Python device push tokens', () => {
  test('skips push_token, fcm_token, apns_token, expo_push_token, registration_token, device_token and a bare token held by a push-token class, activity or workflow', () => {
    expect(secrets.map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'payload-carries-secret warning app/activities.py:43',
      'payload-carries-secret warning app/activities.py:47',
    ]);
  });

  test('keeps a refresh token next to a push token, and a bare token held by a class or activity not named after push tokens', () => {
    expect(secrets.map((f) => f.data?.['paths'])).toEqual([['inp.refresh_token', 'inp.token'], ['token']]);
  });
});
