// Prevents an async activity that can never succeed: `await collection.insert_many(docs)` on a
// synchronous client (pymongo, requests, a sync SQLAlchemy session, time.sleep, ...). The sync call
// runs to the end, then hands back a plain value (a str, a result object, None) that is not
// awaitable, and the `await` raises TypeError ("object ... can't be used in 'await' expression").
// That happens on every attempt, so the retry policy spends its attempts on a failure no retry can
// fix, and the side effect of the call (the documents inserted, the request sent) is repeated each
// time. The calls come from python-blocking-calls.ts: only APIs and clients the model knows to be
// synchronous (followed to the library constructor that builds them), written right under `await`.

import path from 'node:path';
import { defineCheck } from '../define-check.js';
import type { BlockingCall } from '../../model/types.js';

export default defineCheck({
  id: 'activity-awaits-sync-call',
  area: 'retries',
  severity: 'error',
  evidence: 'static',
  needs: 'code',
  description: 'A Python async activity awaits the result of a synchronous call (a pymongo, requests or sync database client method, time.sleep): the value is not awaitable, so every attempt fails with TypeError after the call has run',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    // The first awaited sync call ends the attempt: one finding per activity, at that call, with
    // the later ones related; activities whose first one is the same line (a shared helper) share it.
    const sites = new Map<string, { call: BlockingCall; later: BlockingCall[]; activities: string[] }>();
    for (const activity of model.activities) {
      if (activity.sync === true) continue;
      const awaited = (activity.blockingCalls ?? []).filter((call) => call.awaited);
      const call = awaited[0];
      if (!call) continue;
      const key = `${call.location.file}:${call.location.line}:${call.location.column ?? 0}`;
      const site = sites.get(key);
      if (site) {
        if (!site.activities.includes(activity.name)) site.activities.push(activity.name);
      } else sites.set(key, { call, later: awaited.slice(1), activities: [activity.name] });
    }
    for (const { call, later, activities } of sites.values()) {
      const who = activities.length === 1 ? `The async activity ${activities[0]}` : `${activities.length} async activities (${[...activities].sort().join(', ')})`;
      const through = call.via.length > 0 ? ` (in ${call.via.length === 1 ? 'an async helper it awaits' : 'helpers it calls'}, ${path.basename(call.location.file)})` : '';
      ctx.report({
        location: call.location,
        message:
          `${who} awaits ${call.api}${through}, which is synchronous: the call runs to the end on the event loop and returns a plain value, not an awaitable, ` +
          `so the await raises TypeError ("object ... can't be used in 'await' expression") every time. Every attempt fails the same way after the call has done its work, ` +
          'and the retry policy repeats that work for a failure no retry can fix.',
        fix:
          `Remove the await and use ${call.asyncAlternative ? `the library's async client, ${call.asyncAlternative},` : 'an async client'} whose methods are awaitable, ` +
          'or run the sync call with await asyncio.to_thread(...); a plain call without await would block the worker\'s event loop.',
        related: [
          ...call.via.map((location) => ({ ...location, message: 'calls the helper that awaits it' })),
          ...later.map((other) => ({ ...other.location, message: `also awaits ${other.api}, which is synchronous` })),
        ],
        data: { activities, call: call.api },
      });
    }
  },
});
