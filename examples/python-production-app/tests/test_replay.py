"""Replays the recorded process-order histories against the current workflow code, so a change that
would break running orders fails CI instead of production. Record a new history after each workflow
change that ships:

    temporal workflow show --workflow-id order-<id> --output json > tests/histories/<name>.json

Run with `python -m pytest tests` or `python tests/test_replay.py`.
"""

import asyncio
import sys
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflows import ProcessOrder  # noqa: E402

HISTORIES = Path(__file__).resolve().parent / "histories"


async def replay_all() -> int:
    files = sorted(HISTORIES.glob("*.json"))
    assert files, f"no recorded histories in {HISTORIES}"
    replayer = Replayer(workflows=[ProcessOrder])
    for path in files:
        # Raises on a non-determinism error (the replayer fails the workflow task).
        await replayer.replay_workflow(WorkflowHistory.from_json(path.stem, path.read_text()))
    return len(files)


def test_replay_recorded_histories() -> None:
    assert asyncio.run(replay_all()) > 0


if __name__ == "__main__":
    print(f"replayed {asyncio.run(replay_all())} histories")
