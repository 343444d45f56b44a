"""Runs the order worker: `python worker.py`."""

import asyncio

from temporalio.client import Client
from temporalio.worker import Worker

from activities import charge_card, reserve_stock, send_receipt, sync_catalog, track_shipment
from workflows import CatalogSyncWorkflow, OrderWorkflow

TASK_QUEUE = "orders"


async def main() -> None:
    client = await Client.connect("localhost:7233")
    worker = Worker(
        client,
        task_queue=TASK_QUEUE,
        workflows=[OrderWorkflow, CatalogSyncWorkflow],
        activities=[charge_card, reserve_stock, track_shipment, send_receipt, sync_catalog],
    )
    await worker.run()


if __name__ == "__main__":
    asyncio.run(main())
