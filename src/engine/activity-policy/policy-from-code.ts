// `simulate outage --from <dir> --activity <type>`: the effective retry policy of one activity
// type as the code writes it, so the simulation prices the policy the team will really ship.

import path from 'node:path';
import type { CodeModel } from '../../model/types.js';
import type { RetryPolicyInput } from '../../simulate/retry-policy.js';
import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { projectModels } from '../project-models.js';
import { relative } from '../run-checks.js';
import { proxyReviews } from './proxy-review.js';

export interface PolicyFromCode {
  policy: RetryPolicyInput;
  /** Where the proxy that schedules the activity is, relative to dir. */
  source: string;
  /** True when no retry policy is written: the server default applies. */
  serverDefault: boolean;
  /** Fields whose values come from configuration (judged by their defaults). */
  configurable: { field: string; env: string }[];
}

export async function policyFromCode(dir: string, activityType: string): Promise<PolicyFromCode> {
  const root = path.resolve(dir);
  const { config } = loadConfig(root);
  // a Python project (or a mixed one) schedules its activities with workflow.execute_activity calls
  const models: CodeModel[] = await projectModels(root, config);
  const all = models.flatMap((model) => proxyReviews(model));
  const reviews = all.filter((r) => r.uses.some((use) => use.type === activityType));
  // the proxy's own options, not a per-call override, describe the policy most calls run with
  const review = reviews.find((r) => r.proxy.origin === 'proxy') ?? reviews[0];
  if (!review) {
    const known = [...new Set(all.flatMap((r) => r.uses.map((u) => u.type)))].sort();
    // code that does not parse may hold the proxy: say so rather than let "none" read as certain
    const broken = models.flatMap((model) => model.parseErrors);
    const unparsed = broken.length
      ? `; ${broken.length} file${broken.length === 1 ? '' : 's'} could not be parsed and may schedule it (${relative(root, broken[0]!.file)}:${broken[0]!.line}: ${broken[0]!.message})`
      : '';
    throw new UsageError(`${root}: no proxy schedules activity type "${activityType}"${known.length ? `; activity types found: ${known.join(', ')}` : ''}${unparsed}`);
  }
  const source = `${relative(root, review.proxy.location.file)}:${review.proxy.location.line}`;
  if (!review.retry.known) {
    throw new UsageError(`${source}: cannot tell the retry policy of ${activityType} statically (${review.retry.unresolved.field} = ${review.retry.unresolved.text}); give it with --initial-interval, --backoff, --max-interval, --max-attempts`);
  }
  const effective = review.retry.policy;
  return {
    policy: {
      initialIntervalMs: effective.initialIntervalMs,
      backoffCoefficient: effective.backoffCoefficient,
      maximumIntervalMs: effective.maximumIntervalMs,
      ...(effective.maximumAttempts > 0 ? { maximumAttempts: effective.maximumAttempts } : {}),
      nonRetryableErrorTypes: effective.nonRetryableErrorTypes,
      ...(effective.scheduleToCloseMs !== undefined && Number.isFinite(effective.scheduleToCloseMs) ? { scheduleToCloseMs: effective.scheduleToCloseMs } : {}),
    },
    source,
    serverDefault: !review.retry.written,
    configurable: review.retry.configurable,
  };
}
