// Many names in one finding: versioned copies of a workflow read as one family, long lists are cut.
import { describe, expect, it } from 'vitest';
import { listNames, versionFamily } from '../../src/engine/name-list.js';

describe('versionFamily', () => {
  it.each([
    ['postWorkflowV101', 'postWorkflow'],
    ['fooV2', 'foo'],
    ['foo_v2', 'foo'],
    ['foo-v1.0.3', 'foo'],
    ['broadcastWorkflow', 'broadcastWorkflow'],
    ['v2', 'v2'],
    ['awsS3', 'awsS3'],
  ])('%s belongs to %s', (name, family) => expect(versionFamily(name)).toBe(family));
});

describe('listNames', () => {
  it('shows versioned copies as one family with their count, in version order', () => {
    expect(listNames(['autoPost', 'postWorkflowV109', 'postWorkflowV101', 'postWorkflowV102', 'refreshToken'])).toBe(
      'autoPost, postWorkflowV101 … postWorkflowV109 (3 versions) and refreshToken',
    );
    expect(listNames(['fooV10', 'fooV2', 'foo'])).toBe('foo … fooV10 (3 versions)');
  });

  it('joins one, two and many names, and cuts past the maximum', () => {
    expect(listNames(['a'])).toBe('a');
    expect(listNames(['a', 'b'])).toBe('a and b');
    expect(listNames(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
  });
});
