// Runs the real `promtool` (Debian package `prometheus`). Absent under CI (CI=true) is a failure;
// elsewhere the tests that need it skip with this reason.
import { spawnSync } from 'node:child_process';

export function promtoolAvailable(): { available: boolean; reason: string } {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return { available: true, reason: '' };
  if (process.env.CI === 'true') throw new Error('promtool is required in CI: apt-get install -y prometheus (.ci/run installs it)');
  return { available: false, reason: 'promtool is not installed (apt-get install -y prometheus)' };
}

export function promtool(args: string[], cwd: string): { status: number; output: string } {
  const result = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}
