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
import type { ActivityImplementationFacts, BlockingCall } from '../../model/types.js';

type BlockingActivity = ActivityImplementationFacts & { blockingCalls: BlockingCall[] };

export default defineCheck({
  id: 'activity-blocks-event-loop',
  area: 'capacity',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description: 'A Python async def activity calls a blocking API (time.sleep, requests, a sync HTTP, database or AWS client) on the worker event loop, stalling every other async activity and the worker itself.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
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
      `so while ${first.api} waits, every other async activity on this worker and the worker's own polling and heartbeats stop.` +
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
      `worker's event loop, so while ${first.api} waits, every other async activity on this worker and the worker's own polling and heartbeats stop.`,
    fix: `At this call, ${asyncFix(first)}; or make the activities plain def activities and give the Worker an activity_executor (a ThreadPoolExecutor).`,
    related: [...activities].sort((a, b) => (label(a) < label(b) ? -1 : label(a) > label(b) ? 1 : 0)).map((activity) => ({ ...activity.location, message: `${activity.name} is an async def activity that reaches it` })),
    data: { activities: names, calls: [first.api] },
  });
}
