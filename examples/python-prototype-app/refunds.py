"""Re-runs an order after a refund: `python refunds.py <order-id> <amount-cents>`."""

import asyncio
import sys
import uuid

from temporalio.client import Client

from activities import Order
from worker import TASK_QUEUE
from workflows import OrderWorkflow


async def rerun(order_id: str, amount_cents: int) -> None:
    client = await Client.connect("localhost:7233")
    await client.start_workflow(
        OrderWorkflow.run,
        Order(order_id=order_id, amount_cents=amount_cents, skus=[]),
        id=f"rerun-{uuid.uuid4()}",
        task_queue=TASK_QUEUE,
    )


if __name__ == "__main__":
    asyncio.run(rerun(sys.argv[1], int(sys.argv[2])))
