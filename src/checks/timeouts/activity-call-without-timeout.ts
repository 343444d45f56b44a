// Prevents slots (and threads) lost to hung calls: an activity's outbound call with no limit of
// its own (Node fetch with no signal, axios with no timeout, Python requests / smtplib / urlopen
// with no timeout) waits as long as the other side keeps the connection open without answering.
// The attempt still times out on the server and the retry starts, but nothing stops the hung call:
//
// - The worker times the attempt out locally too, with or without heartbeats: sdk-core starts a
//   local start_to_close timer for every remote activity (ActivityLocalTimers, plus a 5 s buffer,
//   local_timeout_buffer_for_activities) and then sends the language side a cancel with reason
//   TIMED_OUT. The activity slot is released only when the activity function completes
//   (`complete` removes the in-flight entry that holds the permit).
// - TypeScript: the cancel aborts `Context.current().cancellationSignal` (worker lib/activity.js,
//   `abortController.abort`); a request not handed that signal keeps waiting. Node's fetch (undici)
//   gives up by itself after 300 s without headers or without body data (headersTimeout,
//   bodyTimeout); axios on Node has no limit (timeout 0).
// - Python: the cancel cancels an async activity's task, but a blocking call cannot be interrupted:
//   in an async activity it holds the event loop, so the cancel never runs; in a sync (threaded)
//   activity the SDK raises CancelledError into the thread (PyThreadState_SetAsyncExc), which
//   Python delivers only when the thread runs Python code again, not while it waits in a socket read.
//
// test/model/call-without-timeout-facts.test.ts reads these facts from the installed packages.

import { defineCheck } from '../define-check.js';
import { describeTimeout, listNames } from '../../engine/activity-policy/describe-policy.js';
import { neverRetried } from '../../engine/activity-policy/attempt-cap.js';
import { proxyReviews, type ProxyReview } from '../../engine/activity-policy/proxy-review.js';
import { relativePath } from '../../model/typescript/locate.js';
import { NODE_FETCH_WAIT_LIMIT_MS } from '../../model/typescript/untimed-calls.js';
import type { ActivityImplementationFacts, UntimedCall } from '../../model/types.js';

export default defineCheck({
  id: 'activity-call-without-timeout',
  area: 'timeouts',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: "An activity's outbound call has no timeout (fetch without a signal, axios without timeout, Python requests/smtplib/urlopen without timeout): a hung call keeps its worker slot after the attempt timed out, while the retry runs.",
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const reviews = proxyReviews(model);
    // One finding per call site: a helper shared by several activities is one finding naming them all.
    const sites = new Map<string, { call: UntimedCall; entries: { implementation: ActivityImplementationFacts; callers: ProxyReview[] }[] }>();
    for (const implementation of model.activities) {
      const calls = implementation.untimedCalls ?? [];
      if (calls.length === 0) continue;
      const callers = reviews.filter((review) => review.uses.some((use) => use.implementations.includes(implementation)));
      // Scheduled by no workflow of the reviewed code: no attempt of it is seen to time out.
      if (callers.length === 0) continue;
      for (const call of calls) {
        const key = `${call.location.file}:${call.location.line}:${call.location.column}`;
        const site = sites.get(key) ?? { call, entries: [] };
        site.entries.push({ implementation, callers });
        sites.set(key, site);
      }
    }
    // Several such calls in one file reached by the same activities: one finding at the first, naming the others.
    const groups = new Map<string, { call: UntimedCall; others: UntimedCall[]; entries: { implementation: ActivityImplementationFacts; callers: ProxyReview[] }[] }>();
    for (const { call, entries } of sites.values()) {
      const key = `${call.location.file}|${entries.map((entry) => entry.implementation.name).sort().join(',')}`;
      const group = groups.get(key);
      if (group) group.others.push(call);
      else groups.set(key, { call, others: [], entries });
    }
    for (const { call, others, entries } of groups.values()) ctx.report(finding(call, others, entries, model.root));
  },
});

function finding(call: UntimedCall, others: UntimedCall[], entries: { implementation: ActivityImplementationFacts; callers: ProxyReview[] }[], root: string) {
  const where = (location: { file: string; line: number }) => `${relativePath(root, location.file)}:${location.line}`;
  const names = [...new Set(entries.map((entry) => entry.implementation.name))].sort();
  const callers = [...new Set(entries.flatMap((entry) => entry.callers))];
  const attempts = callers.map((review) => review.timeouts.startToClose);
  const known = attempts.every((timeout) => timeout.known && Number.isFinite(timeout.ms));
  const longest = known ? Math.max(...attempts.map((timeout) => (timeout.known ? timeout.ms : 0))) : undefined;
  const limits = known ? [...new Set(attempts.map(describeTimeout))].join(' or ') : undefined;
  const once = neverRetried(callers);
  const first = entries[0]!;
  const who = names.length === 1 ? `Activity ${names[0]}` : `Each of activities ${listNames(names, 6)}`;
  const through = call.via.length > 0 ? `, reached from ${first.implementation.name} at ${where(call.via[0]!)}` : '';
  const attempt = limits ? `the attempt times out (startToCloseTimeout ${limits})` : 'the attempt times out';
  const next = once ? 'the workflow receives the timeout as the activity\'s failure (maximumAttempts 1: no retry)' : 'the retry starts on another slot';

  let severity: 'warning' | 'info' = 'warning';
  let what: string;
  let consequence: string;
  let fix: string;
  if (call.kind === 'fetch') {
    // Node's fetch gives up by itself after 300 s of silence: it outlives only a shorter attempt.
    const outlives = longest !== undefined && longest < NODE_FETCH_WAIT_LIMIT_MS;
    if (!outlives || once) severity = 'info';
    what = `calls \`fetch\` (${where(call.location)}${through}) with no \`signal\`, so nothing the activity does can stop the request: Node's fetch gives up by itself only after 5 minutes without response headers or without body data (undici's headersTimeout and bodyTimeout), and a response that keeps trickling never.`;
    consequence = outlives
      ? ` When the service hangs, ${attempt} and the worker cancels the activity (it keeps its own start-to-close timer, heartbeats or not), but the request ignores the cancellation signal: it keeps the worker's activity slot for up to 5 minutes while ${next}.`
      : ` When the service hangs, the request keeps the worker's activity slot for up to 5 minutes${limits ? '' : ' (or longer than the attempt, whose startToClose the review cannot read)'}, and a workflow cancellation or a worker shutdown does not stop it.`;
    fix = 'Pass `signal: AbortSignal.any([Context.current().cancellationSignal, AbortSignal.timeout(ms)])` to fetch, with ms a little below startToCloseTimeout, so a timed-out or cancelled attempt stops its request.';
  } else if (call.kind === 'axios') {
    if (once) severity = 'info';
    what = `makes an axios request (\`${call.api}\` at ${where(call.location)}${through}) with no \`timeout\` and no \`signal\`: axios's default timeout is 0, no limit, so a service that accepts the connection and never answers keeps the request waiting for good.`;
    consequence = ` ${capitalize(attempt)} and the worker cancels the activity (it keeps its own start-to-close timer, heartbeats or not), but the request ignores the cancellation signal: it keeps the worker's activity slot while ${next}, and every further hang takes one more slot until the worker restarts.`;
    fix = 'Set `timeout` (ms, a little below startToCloseTimeout) on the request or on the axios instance, and pass `signal: Context.current().cancellationSignal` so a cancelled attempt stops its request.';
  } else {
    const sync = first.implementation.sync === true;
    const label = call.kind === 'requests' ? `\`${call.api}\` with no \`timeout=\` (requests waits forever by default)` : call.kind === 'smtplib' ? `\`${call.api}(...)\` with no \`timeout\` (it connects and reads with no limit unless one is given)` : `\`urlopen(...)\` with no \`timeout\` (no limit unless one is given)`;
    what = `calls ${label} at ${where(call.location)}${through}, so a server that accepts the connection and never answers keeps the call waiting for good.`;
    consequence = sync
      ? ` ${capitalize(attempt)} and the worker cancels the activity (it keeps its own start-to-close timer, heartbeats or not) by raising CancelledError into its thread, but Python delivers it only when the thread runs Python code again, not while it waits on the socket: the thread of the activity_executor and the activity slot stay taken while ${next}, and every further hang takes one more.`
      : ` The activity is async, so the blocking call holds the worker's event loop (activity-blocks-event-loop): with no timeout the whole worker can stay frozen, every activity and the cancellation of this one included, while ${attempt.replace('the attempt times out', 'the server times the attempt out')} and schedules a retry this frozen worker cannot run.`;
    if (once && sync) severity = 'info';
    fix = call.kind === 'requests'
      ? 'Pass `timeout=(connect, read)` seconds, the read part a little below start_to_close_timeout, to every requests call (or use a Session whose adapter sets one).'
      : 'Pass `timeout=` seconds, a little below start_to_close_timeout, so a hung server fails the attempt instead of holding it.';
  }
  const more = others.length > 0 ? ` The same holds for ${listNames(others.map((other) => `\`${other.api}\` at line ${other.location.line}`), 8)} in this file.` : '';
  return {
    location: call.location,
    ...(severity === 'info' ? { severity } : {}),
    message: `${who} ${what}${consequence}${more}`,
    fix,
    related: [
      ...entries.flatMap((entry) => {
        const via = entry.implementation.untimedCalls?.find((c) => c.location.file === call.location.file && c.location.line === call.location.line)?.via[0];
        return [{ ...(via ?? entry.implementation.location), message: via ? `activity ${entry.implementation.name} reaches the call from here` : `activity ${entry.implementation.name}` }];
      }),
      ...others.map((other) => ({ ...other.location, message: `another ${other.api} call with no timeout` })),
      ...callers.map((review) => ({ ...review.proxy.location, message: `${review.label} schedules it` })),
    ],
    data: { call: call.api, ...(others.length > 0 ? { otherCalls: others.map((other) => `${relativePath(root, other.location.file)}:${other.location.line}`) } : {}), kind: call.kind, activityTypes: names, startToCloseMs: longest ?? 'unknown', proxies: callers.map((review) => review.proxy.id) },
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
