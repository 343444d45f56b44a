// The outage drill's fault injector: during a window, a named activity type (through an activity
// inbound interceptor) or every call to a named dependency (through the process's fetch) fails
// the way a dead service fails, so Temporal's real retry machinery takes over.

/** What to break and when; times are epoch milliseconds on this machine's clock. */
export interface FaultPlan {
  /** Activity types whose attempts fail during the window. */
  activityTypes: string[];
  /** URL prefixes or host names (`payments.internal`, `http://127.0.0.1:8089/payment`) whose fetch calls fail. */
  dependencies: string[];
  windowStartMs: number;
  windowEndMs: number;
  /** How long a failing attempt takes before it fails (a connection timeout); default 0. */
  attemptDurationMs?: number;
}

/** The error a failing attempt throws; its class name is the failure type in the history. */
export class PreflightInjectedOutage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightInjectedOutage';
  }
}

export function inOutageWindow(plan: FaultPlan, nowMs: number): boolean {
  return nowMs >= plan.windowStartMs && nowMs < plan.windowEndMs;
}

/** Does a fetch of `url` reach one of the plan's dependencies? */
export function matchesDependency(plan: FaultPlan, url: string): string | undefined {
  let host = '';
  try {
    host = new URL(url).host;
  } catch {
    // a relative or odd URL can still match by prefix
  }
  return plan.dependencies.find((dependency) => url.startsWith(dependency) || host === dependency || host.split(':')[0] === dependency);
}

interface ActivityContextLike {
  info: { activityType: string; activityId: string; attempt: number; currentAttemptScheduledTimestampMs: number; workflowExecution: { workflowId: string } };
}

/** One attempt the injector failed: the drill measures the real gap between attempts from these. */
export interface InjectedFailure {
  workflowId: string;
  activityId: string;
  activityType: string;
  attempt: number;
  /** When the server scheduled this attempt (after the backoff), epoch ms. */
  attemptScheduledMs: number;
}
interface ExecuteInput {
  args: unknown[];
}
type Next = (input: ExecuteInput) => Promise<unknown>;

/** An `interceptors.activity` factory that fails the plan's activity types during the window. */
export function faultInjectorInterceptor(plan: FaultPlan, onInjected: (failure: InjectedFailure) => void = () => {}, now: () => number = Date.now) {
  return (ctx: ActivityContextLike) => ({
    inbound: {
      async execute(input: ExecuteInput, next: Next): Promise<unknown> {
        const { info } = ctx;
        const record = () =>
          onInjected({ workflowId: info.workflowExecution.workflowId, activityId: info.activityId, activityType: info.activityType, attempt: info.attempt, attemptScheduledMs: info.currentAttemptScheduledTimestampMs });
        if (plan.activityTypes.includes(info.activityType) && inOutageWindow(plan, now())) {
          record();
          await pause(plan.attemptDurationMs ?? 0);
          throw new PreflightInjectedOutage(`preflight outage drill: ${info.activityType} is down`);
        }
        try {
          return await next(input);
        } catch (error) {
          // a dependency outage reaches the activity through fetch: count the attempts it failed
          if (plan.dependencies.length && inOutageWindow(plan, now())) record();
          throw error;
        }
      },
    },
  });
}

/** Wraps globalThis.fetch so calls to the plan's dependencies fail during the window. */
export function installDependencyFaults(plan: FaultPlan, target: { fetch: typeof fetch } = globalThis, now: () => number = Date.now): void {
  if (plan.dependencies.length === 0) return;
  const realFetch = target.fetch.bind(target);
  target.fetch = async (resource: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
    const dependency = matchesDependency(plan, url);
    if (dependency && inOutageWindow(plan, now())) {
      await pause(plan.attemptDurationMs ?? 0);
      throw new PreflightInjectedOutage(`preflight outage drill: ${dependency} is down (fetch ${url})`);
    }
    return realFetch(resource, init);
  };
}

function pause(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
