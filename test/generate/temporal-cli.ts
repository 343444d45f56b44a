// Whether the Temporal CLI is on PATH. Under CI (CI=true) its absence is a failure, not a skip.
import { spawnSync } from 'node:child_process';

export function temporalCliAvailable(): { available: boolean; reason: string } {
  const probe = spawnSync('temporal', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0) return { available: true, reason: '' };
  if (process.env.CI === 'true') throw new Error('the Temporal CLI (`temporal`) is required in CI; .ci/run installs it');
  return { available: false, reason: 'the Temporal CLI (`temporal`) is not installed' };
}
