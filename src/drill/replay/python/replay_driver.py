# Replays recorded histories through the Python SDK's Replayer, in the project's own Python
# environment. temporal-preflight starts this script with the project's interpreter, writes one
# JSON line to stdin (import roots, the @workflow.defn classes its static model found, the
# histories), and reads JSON lines from stdout. Closing stdin ends the script: when the tool
# exits, however it exits, this process goes too.
#
# Written for old interpreters too (no newer syntax), so that an interpreter too old for the
# SDK still gets a readable answer rather than a SyntaxError.

import asyncio
import importlib
import json
import os
import sys
import threading

# The workflow modules are the user's code: whatever they print must not reach the protocol.
_protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
os.dup2(2, 1)
sys.stdout = sys.stderr


def send(message):
    _protocol.write(json.dumps(message) + "\n")
    _protocol.flush()


def first_line(error):
    text = str(error).strip().split("\n")[0]
    return "%s: %s" % (type(error).__name__, text) if text else type(error).__name__


try:
    import temporalio
    from temporalio.client import WorkflowHistory
    from temporalio.worker import Replayer
except Exception as error:  # ImportError, or a broken install
    send({"type": "fatal", "reason": "no-temporalio", "message": first_line(error)})
    sys.exit(3)

send({"type": "ready", "python": sys.version.split()[0], "temporalio": getattr(temporalio, "__version__", "?")})

config = json.loads(sys.stdin.readline())


def watch_stdin():
    # The tool closes stdin when it has no more work or when it dies: stop at once either way.
    try:
        while sys.stdin.read(65536):
            pass
    finally:
        os._exit(0)


threading.Thread(target=watch_stdin, daemon=True).start()

for root in reversed(config["roots"]):
    if root not in sys.path:
        sys.path.insert(0, root)

classes = {}
failed_types = {}
for entry in config["workflows"]:
    module_name = entry["module"]
    try:
        module = importlib.import_module(module_name)
        cls = getattr(module, entry["className"])
    except BaseException as error:  # a module may raise anything, SystemExit included
        message = first_line(error)
        send({"type": "import-error", "module": module_name, "message": message})
        failed_types[entry["name"]] = "the module %s that defines it failed to import: %s" % (module_name, message)
        continue
    definition = getattr(cls, "__temporal_workflow_definition", None)
    if getattr(definition, "dynamic", False):
        classes["*"] = cls  # a dynamic workflow takes every type no other class has
    else:
        classes[getattr(definition, "name", None) or entry["name"]] = cls
# The replayer takes every class once, however many names were found for it.
unique_classes = list(dict.fromkeys(classes.values()))


def result(index, error=None):
    message = {"type": "result", "index": index}
    if error is not None:
        message["error"] = error
    send(message)


def load_history(item):
    if item.get("json") is not None:
        raw = json.loads(item["json"])
    else:
        with open(item["file"], "r", encoding="utf-8") as handle:
            raw = json.load(handle)
    # a GetWorkflowExecutionHistory response wraps the history
    if isinstance(raw, dict) and "events" not in raw and "history" in raw:
        raw = raw["history"]
    return raw


def workflow_type_of(raw):
    for event in raw.get("events", [])[:1]:
        attributes = event.get("workflowExecutionStartedEventAttributes") or {}
        return (attributes.get("workflowType") or {}).get("name") or ""
    return ""


def quiet_runtime():
    # The core logs each failed workflow task as a warning; the result carries the error already.
    from temporalio.runtime import LoggingConfig, Runtime, TelemetryConfig, TelemetryFilter

    return Runtime(telemetry=TelemetryConfig(logging=LoggingConfig(filter=TelemetryFilter(core_level="ERROR", other_level="ERROR"))))


async def replay_all():
    replayer = Replayer(workflows=unique_classes, runtime=quiet_runtime()) if unique_classes else None
    pending = []

    async def histories():
        for item in config["items"]:
            send({"type": "start", "index": item["index"]})
            try:
                raw = load_history(item)
            except Exception as error:
                result(item["index"], {"name": "ReadError", "message": "cannot read the history: " + first_line(error)})
                continue
            try:
                history = WorkflowHistory.from_json(item["workflowId"], raw)
            except Exception as error:
                result(item["index"], {"name": "ParseError", "message": "not a valid history: " + first_line(error)})
                continue
            workflow_type = workflow_type_of(raw)
            if workflow_type not in classes and "*" not in classes:
                reason = failed_types.get(workflow_type) or "no @workflow.defn class of the project has this name"
                result(item["index"], {"name": "WorkflowTypeNotFound", "message": "workflow type %s: %s" % (json.dumps(workflow_type), reason)})
                continue
            pending.append(item["index"])
            yield history

    if replayer is None:
        async for _ in histories():
            pass
        return
    async with replayer.workflow_replay_iterator(histories()) as results:
        async for replayed in results:
            index = pending.pop(0)
            failure = replayed.replay_failure
            if failure is None:
                result(index)
            else:
                result(index, {"name": type(failure).__name__, "message": str(failure)})


try:
    asyncio.run(replay_all())
except BaseException as error:
    send({"type": "fatal", "reason": "replay", "message": first_line(error)})
    sys.stderr.flush()
    os._exit(1)
send({"type": "done"})
sys.stderr.flush()
os._exit(0)
