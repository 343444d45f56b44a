import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/engine/config.js';
import { UsageError } from '../../src/engine/errors.js';

describe('config', () => {
  it('fills defaults when no config file exists', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-config-'));
    const { config, file } = loadConfig(dir);
    expect(file).toBeNull();
    expect(config.histories.budget).toBe('50KB');
    expect(config.targets).toEqual({ scheduleToStartP99: '500ms', headroom: 2 });
    expect(config.runbooks.dir).toBe('docs/runbooks');
  });

  it('reads YAML and names an unknown key in the error', () => {
    expect(() => parseConfigText('targets:\n  scheduleToStartP99: 200ms\n  headrom: 3\n', '/x/preflight.config.yaml')).toThrow(
      new UsageError('/x/preflight.config.yaml: key "targets.headrom": unknown key'),
    );
  });

  it('names a key whose duration is invalid', () => {
    expect(() => parseConfigText('{"deadlines":{"activities":{"chargePayment":"15 minuts"}}}', '/x/preflight.config.json')).toThrow(
      /key "deadlines\.activities\.chargePayment": expected a duration/,
    );
  });

  it('reports invalid JSON with the file name in one line', () => {
    let message = '';
    try {
      parseConfigText('{"checks": ', '/x/preflight.config.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^\/x\/preflight\.config\.json: not valid JSON: /);
    expect(message).not.toContain('\n');
  });

  it('rejects an unknown severity for a check', () => {
    expect(() => parseConfigText('checks:\n  workflow-uses-weakref: fatal\n', '/x/p.yaml')).toThrow(/key "checks\.workflow-uses-weakref"/);
  });
});
