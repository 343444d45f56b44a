// The SDK and runtime facts activity-call-without-timeout rests on, read from the installed packages:
// the worker (sdk-core, shared by the TypeScript and Python SDKs) times a remote activity out locally
// at its start_to_close (plus a 5 s buffer) whether it heartbeats or not, and sends the language side
// a TIMED_OUT cancel; the slot's permit is released only when the activity completes; the TypeScript
// worker turns the cancel into an abort of the activity's cancellationSignal; Node's fetch (undici)
// gives up by itself after 300 s without headers or body data.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_FETCH_WAIT_LIMIT_MS } from '../../src/model/typescript/untimed-calls.js';

const modules = path.resolve(import.meta.dirname, '../../node_modules');
const read = (file: string) => fs.readFileSync(path.join(modules, file), 'utf8');

describe('facts behind activity-call-without-timeout', () => {
  it('sdk-core times activities out locally at start_to_close, heartbeats or not, and keeps the slot until completion', () => {
    const activities = read('@temporalio/core-bridge/sdk-core/crates/sdk-core/src/worker/activities.rs');
    expect(activities).toContain('activities can still get cleaned up even if the user isn\'t');
    expect(activities).toMatch(/ActivityLocalTimers::new\(\s*task\.resp\.heartbeat_timeout,\s*task\.resp\.start_to_close_timeout,/);
    expect(activities).toContain('ActivityCancelReason::TimedOut');
    // The permit lives in the in-flight entry, removed when the activity completes.
    expect(activities).toContain('_permit: UsedMeteredSemPermit<ActivitySlotKind>');
    expect(activities).toMatch(/pub\(crate\) async fn complete\([\s\S]*?outstanding_activity_tasks\.remove\(&task_token\)/);
    const worker = read('@temporalio/core-bridge/sdk-core/crates/sdk-core/src/worker/mod.rs');
    expect(worker).toMatch(/#\[builder\(default = Duration::from_secs\(5\)\)\]\s*pub local_timeout_buffer_for_activities: Duration/);
  });

  it('the TypeScript worker aborts cancellationSignal on a cancel and waits for the function to settle', () => {
    const activity = read('@temporalio/worker/lib/activity.js');
    expect(activity).toContain('this.abortController.abort(err)');
    const worker = read('@temporalio/worker/lib/worker.js');
    expect(worker).toContain('activity will not be considered cancelled until it confirms cancellation');
  });

  it("Node's fetch waits 300 s for headers and between body chunks by default", () => {
    const client = read('undici-types/client.d.ts');
    expect(client).toMatch(/complete HTTP headers[^\n]*Default: `300e3` milliseconds/);
    expect(client).toMatch(/between receiving body data[^\n]*Default: `300e3` milliseconds/);
    expect(NODE_FETCH_WAIT_LIMIT_MS).toBe(300_000);
  });
});
