import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { fakeIo } from '../helpers/fake-io.js';
import { scratchFolder } from '../helpers/scratch-folder.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples');

async function given(app: string, activity: string) {
  const io = fakeIo();
  await runCli(['simulate', 'outage', '--from', path.join(examples, app), '--activity', activity, '--outage', '30m', '--workflows', '10000', '--format', 'json'], io);
  expect(io.err).toBe('');
  return JSON.parse(io.out).scenarios[0];
}

describe('simulate outage --from --activity', () => {
  it('prices the prototype, which writes no policy, as the server default: 25 attempts per activity in 30 minutes', async () => {
    const scenario = await given('prototype-app', 'chargePayment');
    expect(scenario.policy).toMatchObject({ initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 100_000, maximumAttempts: 0 });
    expect(scenario.totalAttempts).toBe(250_000);
    expect(scenario.failed).toBe(0);
  }, 60_000);

  it('takes the production policy from the code, scheduleToClose included', async () => {
    const scenario = await given('production-app', 'chargePayment');
    expect(scenario.policy).toMatchObject({ maximumIntervalMs: 60_000, maximumAttempts: 8, scheduleToCloseMs: 300_000, nonRetryableErrorTypes: ['PaymentDeclined', 'InvalidOrder'] });
    // a 5-minute deadline cannot outlast a 30-minute outage: every activity fails, none retries forever
    expect(scenario.failed).toBe(10_000);
  }, 60_000);

  it('names the activity types there are when the type is unknown', async () => {
    const io = fakeIo();
    await runCli(['simulate', 'outage', '--from', path.join(examples, 'production-app'), '--activity', 'nope', '--outage', '30m'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toMatch(/no proxy schedules activity type "nope"; activity types found: awaitShipment, chargePayment, releaseInventory, reserveInventory\n$/);
  }, 60_000);

  it('reads a Python project: a workflow.execute_activity call with no retry_policy runs the server default', async () => {
    const scenario = await given('python-prototype-app', 'charge_card');
    expect(scenario.policy).toMatchObject({ initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 100_000, maximumAttempts: 0 });
    const local = await given('python-prototype-app', 'sync_catalog');
    expect(local.policy).toMatchObject({ maximumAttempts: 2 });
  }, 60_000);

  it('says that a file that does not parse may hold the proxy, instead of a bare "none"', async () => {
    const dir = scratchFolder('simulate-from');
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"broken","dependencies":{"@temporalio/workflow":"1"}}');
    fs.writeFileSync(
      path.join(dir, 'workflows.ts'),
      "import { proxyActivities } from '@temporalio/workflow';\nconst { charge } = proxyActivities<{ charge(): Promise<void> }>({ startToCloseTimeout: '1m' });\nexport async function order() {\n  await charge(;\n}\n",
    );
    const io = fakeIo();
    await runCli(['simulate', 'outage', '--from', dir, '--activity', 'charge', '--outage', '30m'], io);
    expect(io.exitCode).toBe(2);
    expect(io.err).toBe(
      `temporal-preflight: ${dir}: no proxy schedules activity type "charge"; 1 file could not be parsed and may schedule it (workflows.ts:4: ')' expected.)\n`,
    );
  }, 60_000);
});
