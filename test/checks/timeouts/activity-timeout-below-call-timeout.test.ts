// activity-timeout-below-call-timeout: an activity's own outbound call may wait longer than the
// attempt's startToClose, so the attempt times out while the call still runs and the retry makes
// the call again. Over test/fixtures/timeouts-call-timeout (TypeScript) and
// test/fixtures/python-call-timeout (Python).
//
// SDK defaults the check cites (verified against the SDKs' sources and docs, not installed here):
// openai (Node) `static DEFAULT_TIMEOUT = 600000; // 10 minutes`, maxRetries 2; @anthropic-ai/sdk
// `timeout` defaults to 10 minutes, maxRetries 2; openai-python
// `DEFAULT_TIMEOUT = httpx.Timeout(timeout=600.0, connect=5.0)`, `DEFAULT_MAX_RETRIES = 2`.
// httpx's own default (5 s) is shorter than any attempt worth reporting, so it is not read.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/engine/types.js';
import { review } from '../../../src/review.js';
import { buildFixture, where, type BuiltFixture } from '../helpers/review-fixture.js';
import { LLM_SDK_DEFAULT_TIMEOUT_S } from '../../../src/model/python/python-call-timeouts.js';
import { LLM_SDK_DEFAULT_TIMEOUT_MS } from '../../../src/model/typescript/call-timeouts.js';

const CHECK = 'activity-timeout-below-call-timeout';

describe('the LLM SDK defaults the check reads', () => {
  // anthropic / openai (Python): `timeout` defaults to 600 s, `max_retries` to 2;
  // @anthropic-ai/sdk / openai (Node): `timeout` defaults to 600000 ms (10 minutes), `maxRetries` to 2.
  // Both outlast a 5-minute startToClose when the client is made without a timeout.
  it('is 10 minutes per request in both languages', () => {
    expect(LLM_SDK_DEFAULT_TIMEOUT_S).toBe(600);
    expect(LLM_SDK_DEFAULT_TIMEOUT_MS).toBe(600_000);
  });
});

describe('activity-timeout-below-call-timeout (TypeScript)', () => {
  let fixture: BuiltFixture;
  beforeAll(() => {
    fixture = buildFixture('timeouts-call-timeout');
  });

  it('warns at the proxy when an explicit call timeout is longer, and notes an SDK default that is', () => {
    const findings = fixture.findings([CHECK]);
    expect(findings.map(where)).toEqual([
      // fetchReport: axios.create({ timeout: 120_000 }) under startToCloseTimeout '30s'.
      { checkId: CHECK, severity: 'warning', file: 'src/workflows.ts', line: 4 },
      // pingPartner: hands `{ timeout: 600_000 }` to a helper that aborts its fetch with a timer after that long.
      { checkId: CHECK, severity: 'warning', file: 'src/workflows.ts', line: 4 },
      // summarize: `new OpenAI()` (10 minutes per request) under startToCloseTimeout '3 minutes'.
      { checkId: CHECK, severity: 'info', file: 'src/workflows.ts', line: 5 },
      // exportReport: axios.post(..., { timeout: 90_000 }) under '1 minute' with maximumAttempts 1: no second run, a note.
      { checkId: CHECK, severity: 'info', file: 'src/workflows.ts', line: 7 },
    ]);
    expect(findings[0]!.message).toContain("fetchReport's axios client waits up to 2m (`timeout: 120000` at src/activities.ts:8) but startToCloseTimeout is 30s");
    expect(findings[1]!.message).toContain("pingPartner's request (aborted by a timer) waits up to 10m (`setTimeout(() => controller.abort(), timeout)` at src/activities.ts:44, the value from src/activities.ts:38");
    expect(findings[2]!.message).toContain("summarize's OpenAI client is created without a timeout (src/activities.ts:7)");
    expect(findings[2]!.message).toContain('SDK default of 10m');
    expect(findings[3]!.message).toContain("exportReport's axios request waits up to 1m 30s (`timeout: 90000` at src/activities.ts:34)");
    expect(findings[3]!.message).toContain('with no retry (maximumAttempts 1)');
  });

  it('says nothing of a shorter call timeout, nor under an attempt limit read from the environment', () => {
    const messages = fixture.findings([CHECK]).map((f) => f.message).join('\n');
    expect(messages).not.toContain('quickLookup');
    expect(messages).not.toContain('renderPdf');
    // The timeouts are read: AbortSignal.timeout(5_000) in the body, the child process's 300 s through a helper.
    const timeouts = (name: string) => fixture.model.activities.find((a) => a.name === name)?.callTimeouts?.map((t) => ({ what: t.what, ms: t.ms, via: t.via.length }));
    expect(timeouts('quickLookup')).toEqual([{ what: 'AbortSignal.timeout', ms: 5_000, via: 0 }]);
    expect(timeouts('renderPdf')).toEqual([{ what: 'child process (run)', ms: 300_000, via: 1 }]);
  });
});

describe('activity-timeout-below-call-timeout (Python)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-call-timeout'), config: undefined }));
  });

  it('warns for httpx.AsyncClient(timeout=120) under 30 s and notes AsyncOpenAI() under 3 minutes', () => {
    const own = findings.filter((f) => f.checkId === CHECK);
    expect(own.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['warning app/workflows.py:17', 'info app/workflows.py:20', 'info app/workflows.py:21', 'warning app/workflows.py:22', 'warning app/workflows.py:24']);
    expect(own[0]!.message).toContain("fetch_report's httpx client waits up to 2m (`timeout=120` at app/activities.py:14) but start_to_close_timeout is 30s");
    expect(own[1]!.message).toContain("summarize's OpenAI client is created without a timeout (app/activities.py:9)");
  });

  it("names the skipped handler only where an except on the way catches the call's timeout; an equal limit nothing catches is no finding", () => {
    const own = findings.filter((f) => f.checkId === CHECK);
    // fetch_report: nothing catches httpx's timeout, so no handler is said to be skipped.
    // fetch_report is async: the worker's own start-to-close timer cancels the attempt at the await.
    expect(own[0]!.message).toContain('The worker cancels the timed-out attempt on its own (the SDK keeps a local start-to-close timer), which abandons the call at its await.');
    expect(own[0]!.message).not.toContain('may still be waiting for the first one');
    expect(own[0]!.message).not.toContain("The code that handles the call's own timeout never runs");
    // summarize_or_fallback: `except asyncio.TimeoutError: return "no summary"` never runs under the equal 60 s attempt.
    const fallback = own.find((f) => f.line === 22)!;
    expect(fallback.message).toContain("summarize_or_fallback's asyncio.wait_for waits up to 1m (`timeout=60` at app/activities.py:53), as long as start_to_close_timeout");
    expect(fallback.message).toContain("The code that handles the call's own timeout never runs");
    // summarize_strict: the same 60 s, and its TimeoutError fails the attempt like the server's timeout would.
    expect(own.some((f) => f.message.includes('summarize_strict'))).toBe(false);
    // lookup_strict: requests' timeout=60 bounds each connect and read, not the call: it stays a finding.
    expect(own.find((f) => f.line === 24)!.message).toContain("lookup_strict's requests.get call waits up to 1m (`timeout=60` at app/activities.py:70), as long as start_to_close_timeout");
  });

  it('follows a method under a tenacity @retry of a class the activity imports and makes inside its body, to the client set in __init__', () => {
    const own = findings.filter((f) => f.checkId === CHECK && f.line === 21);
    expect(own[0]!.message).toContain("rank_items's OpenAI client is created without a timeout (app/ranker.py:7, reached through the call at app/activities.py:");
    expect(own[0]!.message).toContain('but start_to_close_timeout is 1m 30s');
  });

  it('says nothing of httpx.Timeout(5.0) under 30 s, nor of wait_for(timeout=300) under a limit read from the environment', () => {
    const messages = findings.filter((f) => f.checkId === CHECK).map((f) => f.message).join('\n');
    expect(messages).not.toContain('quick_lookup');
    expect(messages).not.toContain('render_pdf');
  });
});

// Over test/fixtures/python-call-timeout-heartbeat. The server fails an attempt when no heartbeat
// arrived for heartbeatTimeout, counted from the attempt's start or its last heartbeat, whichever
// is later (Temporal server, timer_sequence.go getActivityHeartbeatTimeout): the same for every SDK,
// and before the first heartbeat too. One awaited call sends none while it waits unless a task or
// timer heartbeats beside it.
describe('activity-timeout-below-call-timeout (Python, heartbeat timeout and equal limits)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'python-call-timeout-heartbeat'), config: undefined }));
  });

  it('warns when a heartbeating activity awaits a call allowed longer than heartbeat_timeout', () => {
    const own = findings.filter((f) => f.checkId === CHECK);
    expect(own.map((f) => `${f.severity} ${f.file}:${f.line}`)).toEqual(['warning app/workflows.py:13', 'warning app/workflows.py:14']);
    // discover: Scanner().scan's parameter default (timeout: int = 300) reaches asyncio.wait_for; heartbeat_timeout 2 minutes.
    expect(own[0]!.message).toContain("discover's asyncio.wait_for waits up to 5m (`timeout=timeout` at app/scanner.py:9, the value from app/scanner.py:7, reached through the call at app/activities.py:12) and no heartbeat is sent while it waits, but heartbeat_timeout is 2m");
    expect(own[0]!.message).toContain('up to 3m when the last heartbeat was held back');
    expect(own[0]!.data).toMatchObject({ limit: 'heartbeat', heartbeatTimeoutMs: 120_000, callTimeoutMs: 300_000 });
    // scan_host: the same 300 s under start_to_close_timeout 5 minutes, but nothing catches the
    // wait_for's TimeoutError, so the equal attempt limit changes nothing; the 2-minute heartbeat
    // timeout is what the call outlasts.
    expect(own[1]!.message).toContain("scan_host's asyncio.wait_for waits up to 5m (`timeout=timeout` at app/scanner.py:9, the value from app/scanner.py:7, reached through the call at app/activities.py:22) and no heartbeat is sent while it waits, but heartbeat_timeout is 2m");
    expect(own[1]!.message).not.toContain('as long as start_to_close_timeout');
  });

  it('says nothing of a shorter argument, a limit from the activity parameter, a heartbeat task beside the call, a limit over code that heartbeats, nor an activity that never heartbeats', () => {
    const messages = findings.filter((f) => f.checkId === CHECK).map((f) => f.message).join('\n');
    for (const name of ['scan_quick', 'scan_limited', 'scan_with_beats', 'watch_host', 'scan_silent']) expect(messages).not.toContain(name);
    // scan_silent never heartbeats: activity-heartbeat-timeout-without-heartbeat reports it instead.
    expect(findings.filter((f) => f.checkId === 'activity-heartbeat-timeout-without-heartbeat').map((f) => f.line)).toEqual([19]);
  });
});
