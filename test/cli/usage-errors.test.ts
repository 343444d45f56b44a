import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { fakeIo } from '../helpers/fake-io.js';

describe('usage errors exit 2 with one line and no stack trace', () => {
  it('a directory that does not exist', async () => {
    const io = fakeIo();
    await runCli(['check', '/no/such/dir'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe('temporal-preflight: /no/such/dir: no such directory\n');
  });

  it('an unknown format', async () => {
    const io = fakeIo();
    await runCli(['check', '.', '--format', 'xml'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toMatch(/^temporal-preflight: --format xml does not apply to "check"; use one of: pretty, json/);
    expect(io.err.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown command', async () => {
    const io = fakeIo();
    await runCli(['bogus'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe("error: unknown command 'bogus'\n");
  });

  it('a bad --fail-on value', async () => {
    const io = fakeIo();
    await runCli(['check', '.', '--fail-on', 'info'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe('temporal-preflight: --fail-on info: use error or warning\n');
  });

  it('--version prints the package version and exits 0', async () => {
    const io = fakeIo();
    await runCli(['--version'], io);
    expect(io.exitCode).toBe(0);
    expect(io.out).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
