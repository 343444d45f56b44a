"""Runs the report worker: `python reports_worker.py`."""

import asyncio

from temporalio.client import Client
from temporalio.worker import Worker

from reports import NightlyReportWorkflow, mail_report, render_pdf


async def main() -> None:
    client = await Client.connect("localhost:7233")
    worker = Worker(
        client,
        task_queue="reports",
        workflows=[NightlyReportWorkflow],
        activities=[render_pdf, mail_report],
        max_concurrent_activities=5000,
        max_concurrent_workflow_tasks=20,
    )
    await worker.run()


if __name__ == "__main__":
    asyncio.run(main())
