// `temporal-preflight simulate outage`: a retry storm under a dependency outage, for a retry
// policy given by flags, against the server default and a recommended policy.
import type { Command } from 'commander';
import { parseDuration } from '../../engine/duration.js';
import { UsageError } from '../../engine/errors.js';
import { withinLimit } from '../../engine/input-limits.js';
import { policyFromCode } from '../../engine/activity-policy/policy-from-code.js';
import { JITTERS, type Jitter } from '../../simulate/jitter.js';
import { simulateOutage, type OutageInput } from '../../simulate/outage.js';
import { renderOutagePretty } from '../../simulate/render/outage-pretty.js';
import { validateRetryPolicy, type RetryPolicyInput } from '../../simulate/retry-policy.js';
import { parseFormat } from '../format-option.js';
import type { CliIo } from '../io.js';

const FORMATS = ['pretty', 'json'] as const;

interface OutageFlags {
  from?: string;
  activity?: string;
  initialInterval?: string;
  backoff?: string;
  maxInterval?: string;
  maxAttempts?: string;
  scheduleToClose?: string;
  nonRetryable?: string;
  failureType?: string;
  attemptDuration: string;
  workflows: string;
  rate: string;
  outage: string;
  recoveryCapacity?: string;
  horizon?: string;
  deadline?: string;
  jitter: string;
  seed: string;
  format?: string;
  output?: string;
}

export function registerSimulate(program: Command, io: CliIo): void {
  const simulate = program.command('simulate').description('model what retries do under load before production does');
  const outage = simulate
    .command('outage')
    .description('replay a dependency outage: attempts, Actions, cost and the recovery burst for the given policy, the server default and a recommended policy')
    .option('--initial-interval <duration>', 'retry policy initialInterval (server default 1s)')
    .option('--backoff <coefficient>', 'retry policy backoffCoefficient (server default 2)')
    .option('--max-interval <duration>', 'retry policy maximumInterval (server default 100 x initial interval)')
    .option('--max-attempts <n>', 'retry policy maximumAttempts, counting the first attempt (default unlimited)')
    .option('--schedule-to-close <duration>', "the activity's scheduleToCloseTimeout: retrying stops when it would pass")
    .option('--non-retryable <types>', 'retry policy nonRetryableErrorTypes, comma-separated')
    .option('--from <dir>', 'take the retry policy from the code of the project in dir (with --activity)')
    .option('--activity <type>', 'with --from: the activity type whose effective policy to simulate')
    .option('--failure-type <type>', 'the error type the outage raises (non-retryable when listed in --non-retryable)')
    .option('--attempt-duration <duration>', 'how long a failing attempt takes', '0s')
    .option('--workflows <n>', 'workflows in flight when the outage starts (one activity each)', '1')
    .option('--rate <per-second>', 'new workflows per second during the outage', '0')
    .requiredOption('--outage <duration>', 'how long the dependency is down, e.g. 30m')
    .option('--recovery-capacity <per-second>', 'attempts per second the dependency serves after recovery (default unlimited)')
    .option('--horizon <duration>', 'how long to simulate (default outage + max(outage, 1h))')
    .option('--deadline <duration>', 'business deadline the recommended policy must meet (default --schedule-to-close)')
    .option('--jitter <kind>', `what-if jitter on the given policy: ${JITTERS.join(', ')} (Temporal itself never jitters)`, 'none')
    .option('--seed <n>', 'seed for jitter', '1')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'pretty')
    .option('-o, --output <file>', 'write the result to a file instead of stdout')
    .action(async (flags: OutageFlags) => {
      const format = parseFormat(flags.format, FORMATS, 'simulate outage');
      const input = outageInput(flags, await codePolicy(flags));
      const result = usageOnRangeError(() => simulateOutage(input));
      // a last guard: whatever the inputs, a table of infinite attempts or costs is not an answer
      const infinite = result.scenarios.find((s) => ![s.totalAttempts, s.costUsd, s.peakAttemptsPerSecond].every(Number.isFinite));
      if (infinite) throw new UsageError(`these inputs give no finite number of attempts (${infinite.name} policy); lower --rate or --workflows`);
      const text = format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderOutagePretty(result, { color: io.color && !flags.output });
      io.writeOutput(text, flags.output);
      io.setExitCode(0);
    });
  outage.exitOverride((error) => {
    throw error;
  });
}

/** The outage inputs from the flags, over the policy taken from the code (empty without --from). */
function outageInput(flags: OutageFlags, policy: RetryPolicyInput): OutageInput {
  if (flags.initialInterval !== undefined) policy.initialIntervalMs = durationFlag('--initial-interval', flags.initialInterval);
  if (flags.backoff !== undefined) policy.backoffCoefficient = numberFlag('--backoff', flags.backoff);
  if (flags.maxInterval !== undefined) policy.maximumIntervalMs = durationFlag('--max-interval', flags.maxInterval);
  if (flags.maxAttempts !== undefined) policy.maximumAttempts = numberFlag('--max-attempts', flags.maxAttempts);
  if (flags.nonRetryable !== undefined) {
    policy.nonRetryableErrorTypes = flags.nonRetryable.split(',').map((t) => t.trim()).filter(Boolean);
  }
  if (flags.scheduleToClose !== undefined) {
    policy.scheduleToCloseMs = durationFlag('--schedule-to-close', flags.scheduleToClose);
    if (!(policy.scheduleToCloseMs > 0)) throw new UsageError('--schedule-to-close must be more than 0');
  }
  const problems = validateRetryPolicy(policy);
  if (problems.length > 0) {
    const p = problems[0]!;
    const who = p.rejectedBy === 'sdk' ? 'the TypeScript SDK' : 'the Temporal server';
    throw new UsageError(`${who} rejects this retry policy: "${p.message}"; ${p.explanation}`);
  }
  const jitter = flags.jitter as Jitter;
  if (!JITTERS.includes(jitter)) throw new UsageError(`--jitter ${flags.jitter}: use one of ${JITTERS.join(', ')}`);

  const workflows = withinLimit('--workflows', flags.workflows, numberFlag('--workflows', flags.workflows), 'workflows');
  if (!Number.isInteger(workflows) || workflows < 0) throw new UsageError('--workflows must be a whole number of 0 or more');
  const simulated = (flag: string, value: string) => withinLimit(flag, value, durationFlag(flag, value), 'simulatedMs');
  const input: OutageInput = {
    policy,
    attemptDurationMs: simulated('--attempt-duration', flags.attemptDuration),
    workflowsInFlight: workflows,
    ratePerSecond: withinLimit('--rate', flags.rate, nonNegative('--rate', flags.rate), 'ratePerSecond'),
    outageMs: simulated('--outage', flags.outage),
    jitter,
    seed: numberFlag('--seed', flags.seed),
  };
  if (flags.recoveryCapacity !== undefined) {
    input.recoveryCapacityPerSecond = withinLimit('--recovery-capacity', flags.recoveryCapacity, numberFlag('--recovery-capacity', flags.recoveryCapacity), 'ratePerSecond');
    if (!(input.recoveryCapacityPerSecond > 0)) throw new UsageError('--recovery-capacity must be more than 0 per second');
  }
  if (flags.horizon !== undefined) input.horizonMs = simulated('--horizon', flags.horizon);
  if (flags.deadline !== undefined) input.deadlineMs = durationFlag('--deadline', flags.deadline);
  if (flags.failureType !== undefined) input.failureType = flags.failureType;
  return input;
}

/** The effective policy from the code with --from/--activity; flags given beside it override fields. */
async function codePolicy(flags: OutageFlags): Promise<RetryPolicyInput> {
  if (!flags.from && !flags.activity) return {};
  if (!flags.from || !flags.activity) throw new UsageError('--from <dir> and --activity <type> go together');
  return { ...(await policyFromCode(flags.from, flags.activity)).policy };
}

/** The simulator rejects impossible inputs with a RangeError; on the command line that is a usage error. */
export function usageOnRangeError<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw error instanceof RangeError ? new UsageError(error.message) : error;
  }
}

/** Milliseconds from a flag read the way the SDK reads durations ('30s', '5m', '1.5h', or ms). */
export function durationFlag(flag: string, value: string): number {
  const trimmed = value.trim();
  const millis = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : parseDuration(trimmed);
  if (millis === null || !Number.isFinite(millis) || millis < 0) {
    throw new UsageError(`${flag} ${value}: not a duration; use e.g. 500ms, 30s, 5m, 1h (a bare number is milliseconds)`);
  }
  return millis;
}

/** A number from a flag; '10,000' and '10_000' read as 10000. */
export function numberFlag(flag: string, value: string): number {
  const n = Number(value.replace(/[,_]/g, '').trim());
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${flag} ${value}: not a number`);
  return n;
}

export function nonNegative(flag: string, value: string): number {
  const n = numberFlag(flag, value);
  if (n < 0) throw new UsageError(`${flag} must be 0 or more`);
  return n;
}
