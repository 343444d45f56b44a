// Keeps a Python worker responsive: the SDK runs `async def` activities on the worker's asyncio
// event loop, so a blocking call there (time.sleep, requests.post, a sync HTTP, database or AWS
// client) stops every other async activity on that worker, and the worker's own polling and
// heartbeating, until it returns (Temporal's "Python SDK synchronous vs. asynchronous Activity
// implementations"). The calls come from python-blocking-calls.ts: well-known blocking APIs named
// through their imports, and methods of sync clients followed to where they are built, in the
// activity's body or plain helpers it calls, not in functions handed to a thread. One finding per
// activity, at its first blocking call.

import { defineCheck } from '../define-check.js';

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
    for (const activity of model.activities) {
      const calls = activity.blockingCalls;
      if (activity.sync === true || !calls || calls.length === 0) continue;
      const [first, ...others] = calls;
      if (!first) continue;
      const apis = [...new Set(calls.map((call) => call.api))];
      const through = first.via.length > 0 ? ` (through ${first.via.length === 1 ? 'a helper it calls' : 'helpers it calls'})` : '';
      ctx.report({
        location: first.location,
        message:
          `The async activity ${activity.name} calls ${first.api}${through}, which blocks: async activities run on the worker's event loop, ` +
          `so while ${first.api} waits, every other async activity on this worker and the worker's own polling and heartbeats stop.` +
          (apis.length > 1 ? ` It also calls ${apis.slice(1).join(', ')}.` : ''),
        fix:
          `Make ${activity.name} a plain def activity and give the Worker an activity_executor (a ThreadPoolExecutor), ` +
          (first.asyncAlternative
            ? `or keep it async and await the library's async client (${first.asyncAlternative}) or run the blocking call with await asyncio.to_thread(...).`
            : 'or keep it async and await an async client (httpx.AsyncClient, aiobotocore, asyncio.sleep, asyncio.create_subprocess_exec) or run the blocking call with await asyncio.to_thread(...).'),
        related: [
          { ...activity.location, message: `${activity.name} is an async def activity` },
          ...first.via.map((location) => ({ ...location, message: 'calls the helper that blocks' })),
          ...others.map((call) => ({ ...call.location, message: `also calls ${call.api}` })),
        ],
        data: { activity: activity.name, calls: apis },
      });
    }
  },
});
