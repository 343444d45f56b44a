"""Starts one order: `python starter.py`."""

import asyncio

from temporalio.client import Client

from activities import Order
from worker import TASK_QUEUE
from workflows import OrderWorkflow


async def main() -> None:
    client = await Client.connect("localhost:7233")
    result = await client.execute_workflow(
        OrderWorkflow.run,
        Order(order_id="o-1", amount_cents=1999, skus=["sku-1"]),
        id="order-o-1",
        task_queue=TASK_QUEUE,
    )
    print(result)


if __name__ == "__main__":
    asyncio.run(main())


async def start_report(client: Client) -> None:
    """Starts the daily report; no worker in worker.py registers it."""
    await client.start_workflow("daily-report", "2026-12-01", id="report-2026-12-01", task_queue=TASK_QUEUE)
