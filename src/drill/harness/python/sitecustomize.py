# The outage drill's fault injector for a Python worker started with --worker-command: Python
# imports this module at start-up (the drill puts its folder first on PYTHONPATH), and it adds an
# activity interceptor to every temporalio Worker the process creates, as the TypeScript harness
# patches Worker.create. While the window in PREFLIGHT_DRILL_FAULTS_FILE lasts, attempts of the
# named activity types fail with ApplicationError type "PreflightInjectedOutage" (retryable), and
# each failed attempt is appended to PREFLIGHT_DRILL_INJECTED_FILE. Without the variable, or
# without temporalio, nothing changes.

import os

_PLAN_FILE = os.environ.get("PREFLIGHT_DRILL_FAULTS_FILE")


def _install():
    import asyncio
    import json
    import time

    import temporalio.worker
    from temporalio import activity
    from temporalio.exceptions import ApplicationError

    injected_file = os.environ.get("PREFLIGHT_DRILL_INJECTED_FILE")

    def plan():
        try:
            with open(_PLAN_FILE, "r", encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None

    class _Inbound(temporalio.worker.ActivityInboundInterceptor):
        async def execute_activity(self, input):
            info = activity.info()
            current = plan()
            now_ms = time.time() * 1000
            if current and info.activity_type in current.get("activityTypes", []) and current["windowStartMs"] <= now_ms < current["windowEndMs"]:
                if injected_file:
                    scheduled = info.current_attempt_scheduled_time
                    record = {
                        "workflowId": info.workflow_id,
                        "activityId": info.activity_id,
                        "activityType": info.activity_type,
                        "attempt": info.attempt,
                        "attemptScheduledMs": int(scheduled.timestamp() * 1000) if scheduled else int(now_ms),
                    }
                    with open(injected_file, "a", encoding="utf-8") as handle:
                        handle.write(json.dumps(record) + "\n")
                await asyncio.sleep((current.get("attemptDurationMs") or 0) / 1000)
                raise ApplicationError("preflight outage drill: %s is down" % info.activity_type, type="PreflightInjectedOutage")
            return await self.next.execute_activity(input)

    class _FaultInjector(temporalio.worker.Interceptor):
        def intercept_activity(self, next):
            return _Inbound(next)

    original_init = temporalio.worker.Worker.__init__

    def __init__(self, *args, **kwargs):
        kwargs["interceptors"] = list(kwargs.get("interceptors") or []) + [_FaultInjector()]
        original_init(self, *args, **kwargs)

    temporalio.worker.Worker.__init__ = __init__


if _PLAN_FILE:
    try:
        _install()
    except ImportError:
        pass  # not a temporalio process (a helper the worker command runs)
