// activity-retries-stacked on Python: tenacity and backoff retrying inside an activity attempt
// (a decorated method of a service class made in the activity, a decorated module helper, a bare
// `@tenacity.retry` on a `self.` method, a `Retrying(...)` loop in the body) under a retry policy
// that allows several attempts; not under `RetryPolicy(maximum_attempts=1)`, nor through a call
// whose failure an `except Exception:` clause takes without raising.
//
// Facts of the libraries, read in their source (tenacity 9.2.1, backoff 2.2.1):
// - tenacity/__init__.py: `BaseRetrying.__init__(sleep=..., stop: StopBaseT = stop_never,
//   wait: WaitBaseT = wait_none(), ...)`, and `retry(*dargs, **dkw)` wraps the function in a
//   Retrying (AsyncRetrying for a coroutine) with those arguments: a bare `@retry` never stops.
// - tenacity/stop.py: `stop_after_attempt(max_attempt_number)` stops when
//   `retry_state.attempt_number >= max_attempt_number` (n tries in all); `stop_after_delay(max_delay)`
//   when the time since the first try reaches max_delay (seconds or timedelta; the last try and pause
//   may exceed it); `a | b` is stop_any.
// - tenacity/wait.py: `wait_fixed(wait)` returns `wait` after every try; `wait_exponential(
//   multiplier=1, max=MAX_WAIT, exp_base=2, min=0)` returns `max(max(0, min), min(multiplier *
//   exp_base ** (attempt_number - 1), max))`: 2, 2, 4 s after tries 1-3 for (multiplier=1, min=2, max=10).
// - backoff/_decorator.py: `on_exception(wait_gen, exception, *, max_tries=None, max_time=None,
//   jitter=full_jitter, ..., **wait_gen_kwargs)`, `on_predicate(wait_gen, predicate=operator.not_, *,
//   max_tries=None, max_time=None, ...)`; backoff/_sync.py and _async.py count `tries += 1` before
//   each call and give up when `tries == max_tries` (max_tries counts every try; None: no limit) or
//   `elapsed >= max_time`. backoff/_wait_gen.py: `expo(base=2, factor=1, max_value=None)` yields
//   factor * base ** n for n = 0, 1, ... (capped at max_value): 1 + 2 + 4 + 8 = 15 s between 5 tries;
//   full_jitter draws each pause between 0 and that value.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { buildPythonModel } from '../../../src/model/python/build-python-model.js';
import { fixturesDir, where } from '../helpers/review-fixture.js';

const ROOT = path.join(fixturesDir, 'python-retries-stacked');

describe('activity-retries-stacked on Python', () => {
  let findings: Finding[];
  beforeAll(async () => {
    const result = await review({ dir: ROOT, config: undefined });
    findings = result.findings.filter((f) => f.checkId === 'activity-retries-stacked');
  }, 120_000);

  it('reports the tenacity decorators and the backoff helper; not the Retrying loop under maximum_attempts=1', () => {
    expect(findings.map(where)).toEqual([
      { checkId: 'activity-retries-stacked', severity: 'info', file: 'app/activities.py', line: 30 },
      { checkId: 'activity-retries-stacked', severity: 'info', file: 'app/helpers.py', line: 5 },
      { checkId: 'activity-retries-stacked', severity: 'info', file: 'app/services.py', line: 9 },
    ]);
    const [bare, backoff, service] = findings;
    expect(service!.message).toContain(
      'Activity summarize_document retries inside each attempt: it runs under the retry library tenacity (`@retry(stop=stop_after_attempt(4), wait=wait_exponential(multiplier=1, min=2, max=10))`) ' +
        '(reached from summarize_document through the call at app/activities.py:14): up to 4 tries (`stop=stop_after_attempt(4)`) per attempt, with up to 8s of pauses between them.',
    );
    expect(service!.message).toContain('its retry policy (workflow.execute_activity for summarize_document at app/workflows.py:14) runs the whole attempt again when it fails, up to 5 attempts: up to 4 x 5 = 20 tries in all, with up to 5 x 8s = 40s of inner pauses.');
    expect(backoff!.message).toContain(
      'Activity fetch_rates retries inside each attempt: it runs under the retry library backoff (`@backoff.on_exception(backoff.expo, httpx.HTTPError, max_tries=5, max_time=60)`) ' +
        '(reached from fetch_rates through the call at app/activities.py:19): up to 5 tries (`max_tries=5`) per attempt, with up to 15s of pauses between them (it starts no new try after `max_time=60`: 1m).',
    );
    expect(backoff!.message).toContain("the server's default retry policy (workflow.execute_activity for fetch_rates at app/workflows.py:20) runs the whole attempt again when it fails, with no limit on attempts and no schedule_to_close_timeout");
    expect(bare!.message).toContain("it runs under the retry library tenacity (`@tenacity.retry`) (reached from check_health through the call at app/activities.py:36): unlimited tries (tenacity's default stop is stop_never) per attempt.");
    expect(bare!.message).toContain('up to 3 attempts: 3 times the inner tries.');
    expect(service!.fix).toContain('initial_interval, backoff_coefficient, maximum_interval of retry_policy=RetryPolicy(...) on workflow.execute_activity');
    expect(service!.fix).toContain('set maximum_attempts low in that retry_policy');
    expect(service!.fix).not.toContain('initialInterval');
    expect(service!.data).toMatchObject({ activityTypes: ['summarize_document'], kind: 'library', library: 'tenacity', innerTries: 4, attempts: 5 });
    // push_event runs a single attempt; fetch_rates_or_empty takes every failure of load_rates in `except Exception:` and returns {}.
    expect(findings.flatMap((f) => (f.data as { activityTypes: string[] }).activityTypes)).toEqual(['check_health', 'fetch_rates', 'summarize_document']);
  });

  it('reads the Retrying loop of push_event (left out only for its single attempt)', async () => {
    const { model } = await buildPythonModel({ root: ROOT });
    const push = model.activities.find((a) => a.name === 'push_event');
    expect(model.activities.find((a) => a.name === 'fetch_rates_or_empty')?.innerRetries).toBeUndefined();
    expect(push?.innerRetries?.map((site) => ({ line: site.location.line, tries: site.tries, pausesMs: site.pausesMs, via: site.via.length }))).toEqual([{ line: 24, tries: 3, pausesMs: 2000, via: 0 }]);
  }, 120_000);
});
