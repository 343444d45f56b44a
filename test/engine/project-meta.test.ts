import { describe, expect, it } from 'vitest';
import { publicRemoteUrl, reviewDate } from '../../src/engine/project-meta.js';

describe('project metadata', () => {
  it('keeps a remote URL without its credentials, and only URLs', () => {
    expect(publicRemoteUrl('https://bot:ghp_secret@github.com/acme/shop.git')).toBe('https://github.com/acme/shop.git');
    expect(publicRemoteUrl('ssh://git@github.com/acme/shop.git')).toBe('ssh://github.com/acme/shop.git');
    expect(publicRemoteUrl('git@github.com:acme/shop.git')).toBe('ssh://github.com/acme/shop.git');
    expect(publicRemoteUrl('/srv/git/shop.git')).toBeUndefined();
    expect(publicRemoteUrl('file:///srv/git/shop.git')).toBeUndefined();
    expect(publicRemoteUrl(undefined)).toBeUndefined();
  });

  it('takes the date from SOURCE_DATE_EPOCH when it is a number of seconds', () => {
    expect(reviewDate({ SOURCE_DATE_EPOCH: '1796305205' }).toISOString()).toBe('2026-12-03T13:40:05.000Z');
    const before = Date.now();
    expect(reviewDate({ SOURCE_DATE_EPOCH: 'soon' }).getTime()).toBeGreaterThanOrEqual(before);
  });
});
