// Keeps a Python worker responsive: the SDK runs `async def` activities on the worker's asyncio
// event loop, so a blocking call there (time.sleep, requests.post, a sync HTTP, database or AWS
// client) stops every other async activity on that worker, and the worker's own polling and
// heartbeating, until it returns (Temporal's "Python SDK synchronous vs. asynchronous Activity
// implementations"). The calls come from python-blocking-calls.ts: well-known blocking APIs named
// through their imports, and methods of sync clients followed to where they are built, in the
// activity's body or plain helpers it calls, not in functions handed to a thread. One finding per
// activity, at its first blocking call.

import path from 'node:path';
import { defineCheck, type CheckContext } from '../define-check.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { ActivityImplementationFacts, BlockingCall, LongRunningSign, SourceLocation } from '../../model/types.js';

type BlockingActivity = ActivityImplementationFacts & { blockingCalls: BlockingCall[] };

export default defineCheck({
  id: 'activity-blocks-event-loop',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'An activity blocks the worker event loop, stalling every other activity and the worker itself: a Python async def activity calls a blocking API (time.sleep, requests, a sync HTTP, database or AWS client), or a TypeScript activity runs a long child process synchronously (execSync, spawnSync).',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    if (model.language !== 'python') {
      reportSyncProcesses(ctx);
      return;
    }
    // Activities whose first blocking call is the same line (a shared helper) are one fix: one finding.
    const groups = new Map<string, { first: BlockingCall; activities: BlockingActivity[] }>();
    for (const activity of model.activities) {
      // An awaited sync call fails with TypeError: activity-awaits-sync-call reports it.
      const calls = activity.blockingCalls?.filter((call) => !call.awaited);
      if (activity.sync === true || !calls || calls.length === 0) continue;
      const first = calls[0]!;
      const key = `${first.location.file}:${first.location.line}:${first.location.column ?? 0}`;
      const group = groups.get(key);
      if (group) group.activities.push(activity as BlockingActivity);
      else groups.set(key, { first, activities: [activity as BlockingActivity] });
    }
    for (const { first, activities } of groups.values()) {
      if (activities.length === 1) reportOne(ctx, activities[0]!, first);
      else reportShared(ctx, activities, first);
    }
  },
});

function asyncFix(first: BlockingCall): string {
  if (first.cpu) return 'run the CPU-heavy call with await asyncio.to_thread(...) or in a process pool (loop.run_in_executor)';
  return first.asyncAlternative
    ? `await the library's async client (${first.asyncAlternative}) or run the blocking call with await asyncio.to_thread(...)`
    : 'await an async client (httpx.AsyncClient, aiobotocore, asyncio.sleep, asyncio.create_subprocess_exec) or run the blocking call with await asyncio.to_thread(...)';
}

function reportOne(ctx: CheckContext, activity: BlockingActivity, first: BlockingCall): void {
  const calls = activity.blockingCalls.filter((call) => !call.awaited);
  const others = calls.slice(1);
  const apis = [...new Set(calls.map((call) => call.api))];
  const through = first.via.length > 0 ? ` (through ${first.via.length === 1 ? 'a helper it calls' : 'helpers it calls'})` : '';
  ctx.report({
    location: first.location,
    message:
      `The async activity ${activity.name} calls ${first.api}${through}, which blocks: async activities run on the worker's event loop, ` +
      `so while ${first.api} ${first.cpu ? 'runs' : 'waits'}, every other async activity on this worker and the worker's own polling and heartbeats stop.` +
      chainSentence(activity.name, first) +
      (apis.length > 1 ? ` It also calls ${apis.slice(1).join(', ')}.` : ''),
    fix: `Make ${activity.name} a plain def activity and give the Worker an activity_executor (a ThreadPoolExecutor), or keep it async and ${asyncFix(first)}.`,
    related: [
      { ...activity.location, message: `${activity.name} is an async def activity` },
      ...first.via.map((location) => ({ ...location, message: 'calls the helper that blocks' })),
      ...others.map((call) => ({ ...call.location, message: `also calls ${call.api}` })),
    ],
    data: { activity: activity.name, calls: apis },
  });
}

/** The chain of helpers from the activity to the blocking call, when it goes through two or more. */
function chainSentence(activity: string, first: BlockingCall): string {
  const names = first.viaNames ?? [];
  if (names.length < 2 || names.length !== first.via.length) return '';
  return ` The call chain: ${activity} → ${names.map((name) => `${name}()`).join(' → ')} → ${first.api}.`;
}

/** Several activities reach the same blocking line, through a helper they share: the fix is there. */
function reportShared(ctx: CheckContext, activities: BlockingActivity[], first: BlockingCall): void {
  // Two classes may define activities of the same name: tell them apart by file.
  const repeated = (name: string) => activities.filter((other) => other.name === name).length > 1;
  const label = (activity: BlockingActivity) => (repeated(activity.name) ? `${activity.name} (${path.basename(activity.location.file)})` : activity.name);
  const names = activities.map(label).sort();
  const shown = names.length > 4 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  ctx.report({
    location: first.location,
    message:
      `${names.length} async activities (${shown}) reach this call of ${first.api} through helpers they share, and it blocks: async activities run on the ` +
      `worker's event loop, so while ${first.api} ${first.cpu ? 'runs' : 'waits'}, every other async activity on this worker and the worker's own polling and heartbeats stop.`,
    fix: `At this call, ${asyncFix(first)}; or make the activities plain def activities and give the Worker an activity_executor (a ThreadPoolExecutor).`,
    related: [...activities].sort((a, b) => (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0)).map((activity) => ({ ...activity.location, message: `${activity.name} is an async def activity that reaches it` })),
    data: { activities: names, calls: [first.api] },
  });
}

type SyncSign = LongRunningSign & { syncProcess: NonNullable<LongRunningSign['syncProcess']> };

/** Long-running by nature, or a command the review cannot read: a warning; another visible command: info; a quick local one: nothing. */
function syncSeverity(sign: SyncSign): 'warning' | 'info' | undefined {
  const kind = sign.syncProcess.kind;
  return kind === 'long' || kind === 'unseen' ? 'warning' : kind === 'other' ? 'info' : undefined;
}

function describeSync(sign: SyncSign): string {
  const { api, kind, command } = sign.syncProcess;
  if (kind === 'unseen') return command ? `\`${command}\` (${api}; the rest of the command is built at run time)` : `a command built at run time (${sign.text}), which the review cannot read,`;
  return `\`${command ?? sign.text}\` (${api})`;
}

function syncHow(sign: SyncSign): string {
  const kind = sign.syncProcess.kind;
  if (kind === 'long') return 'This command waits on the network, a build or a long computation by its nature, so the block lasts as long as it runs.';
  if (kind === 'unseen') return 'How long it runs depends on that command.';
  return 'How long it blocks depends on what that command does with its input.';
}

const SYNC_EFFECT =
  "TypeScript activities run on the worker's main Node.js thread (workflows run in worker threads), so a synchronous child-process call blocks the worker's event loop until the process ends. " +
  "Meanwhile every other activity on this worker stalls, no heartbeats are sent (so heartbeat timeouts of running activities can fire), the worker stops polling for tasks, " +
  "and neither the attempt's timeout nor a cancellation can reach the activity.";

const SYNC_FIX =
  'Run the process asynchronously and await it (`promisify(execFile)`, `spawn`, or execa), with a `timeout` a little below startToCloseTimeout and ' +
  '`signal: Context.current().cancellationSignal`, so the worker keeps serving other activities and heartbeats while it runs.';

/** TypeScript: a synchronous child process reached from an activity (its body or project helpers). */
function reportSyncProcesses(ctx: CheckContext): void {
  const model = ctx.model!;
  const groups = new Map<string, { first: SyncSign; severity: 'warning' | 'info'; entries: { activity: ActivityImplementationFacts; signs: SyncSign[] }[] }>();
  for (const activity of model.activities) {
    const signs = activity.longRunning.filter((sign): sign is SyncSign => sign.kind === 'child-process' && sign.syncProcess !== undefined && syncSeverity(sign as SyncSign) !== undefined);
    if (signs.length === 0) continue;
    const first = signs.find((sign) => syncSeverity(sign) === 'warning') ?? signs[0]!;
    const key = `${first.location.file}:${first.location.line}:${first.location.column ?? 0}`;
    const group = groups.get(key) ?? { first, severity: syncSeverity(first)!, entries: [] };
    group.entries.push({ activity, signs });
    groups.set(key, group);
  }
  for (const { first, severity, entries } of groups.values()) {
    const where = `${relativePath(model.root, first.location.file)}:${first.location.line}`;
    if (entries.length === 1) {
      const { activity, signs } = entries[0]!;
      const others = signs.filter((sign) => sign !== first);
      const through = first.via && first.via.length > 0 ? ` at ${where}, reached from the activity at ${relativePath(model.root, first.via[0]!.file)}:${first.via[0]!.line}` : '';
      ctx.report({
        location: first.location,
        severity,
        message:
          `Activity ${activity.name} runs ${describeSync(first)} synchronously${through}. ${SYNC_EFFECT} ${syncHow(first)}` +
          (others.length > 0 ? ` It runs ${others.length === 1 ? 'another process' : `${others.length} other processes`} synchronously too.` : ''),
        fix: SYNC_FIX,
        related: [
          { ...activity.location, message: `activity ${activity.name}` },
          ...(first.via ?? []).map((location: SourceLocation) => ({ ...location, message: 'calls the helper that runs the process' })),
          ...others.map((sign) => ({ ...sign.location, message: `also runs ${describeSync(sign)} synchronously` })),
        ],
        data: { activity: activity.name, api: first.syncProcess.api, command: first.syncProcess.command ?? null, commandKind: first.syncProcess.kind },
      });
      continue;
    }
    const names = [...new Set(entries.map((entry) => entry.activity.name))].sort();
    const shown = names.length > 4 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    ctx.report({
      location: first.location,
      severity,
      message: `${names.length} activities (${shown}) reach this synchronous call, which runs ${describeSync(first)}. ${SYNC_EFFECT} ${syncHow(first)}`,
      fix: SYNC_FIX,
      related: entries.map((entry) => ({ ...(entry.signs.find((sign) => sameSite(sign.location, first.location))?.via?.[0] ?? entry.activity.location), message: `activity ${entry.activity.name} reaches it from here` })),
      data: { activities: names, api: first.syncProcess.api, command: first.syncProcess.command ?? null, commandKind: first.syncProcess.kind },
    });
  }
}

function sameSite(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && (a.column ?? 0) === (b.column ?? 0);
}
