import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigText } from '../../src/engine/config.js';
import { UsageError } from '../../src/engine/errors.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

describe('config', () => {
  it('fills defaults when no config file exists', () => {
    const dir = scratchFolder('config');
    const { config, file } = loadConfig(dir);
    expect(file).toBeNull();
    expect(config.histories.budget).toBe('50KB');
    expect(config.targets).toEqual({ scheduleToStartP99: '500ms', headroom: 2 });
    expect(config.runbooks.dir).toBe('docs/runbooks');
  });

  it('reads YAML and names an unknown key in the error, with the key it was probably meant to be', () => {
    expect(() => parseConfigText('targets:\n  scheduleToStartP99: 200ms\n  headrom: 3\n', '/x/preflight.config.yaml')).toThrow(
      new UsageError('/x/preflight.config.yaml: key "targets.headrom": unknown key; did you mean "headroom"?'),
    );
  });

  it('names an unknown key without a guess when nothing is close', () => {
    expect(() => parseConfigText('{"telemetry": true}', '/x/preflight.config.json')).toThrow(
      new UsageError('/x/preflight.config.json: key "telemetry": unknown key'),
    );
  });

  it('rejects a misspelt check id, naming the check it was probably meant to be', () => {
    expect(() => parseConfigText('{"checks": {"workflow-runbok-missing": "off"}}', '/x/preflight.config.json')).toThrow(
      new UsageError('/x/preflight.config.json: key "checks.workflow-runbok-missing": unknown check id; did you mean "workflow-runbook-missing"?'),
    );
  });

  it('suggests keys inside per-type entries too', () => {
    expect(() => parseConfigText('{"load": {"activities": {"charge": {"meanDuraton": "1s"}}}}', '/x/preflight.config.json')).toThrow(
      new UsageError('/x/preflight.config.json: key "load.activities.charge.meanDuraton": unknown key; did you mean "meanDuration"?'),
    );
  });

  it('drops null per-type entries (written by init, not filled in yet) and accepts $schema', () => {
    const config = parseConfigText(
      '{"$schema": "./node_modules/temporal-preflight/dist/config.schema.json", "load": {"workflows": {"a": null, "b": {"peakStartsPerSecond": 2}}, "activities": {"x": null}}, "deadlines": {"activities": {"x": null}}, "volume": {"workflows": {"a": null}}}',
      '/x/preflight.config.json',
    );
    expect(config.load).toEqual({ workflows: { b: { peakStartsPerSecond: 2 } }, activities: {} });
    expect(config.deadlines.activities).toEqual({});
    expect(config.volume.workflows).toEqual({});
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
