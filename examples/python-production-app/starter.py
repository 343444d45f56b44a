"""Places one order and prints the result: `python starter.py <order-id> <customer-id>`."""

import asyncio
import os
import sys

from temporalio.client import Client
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from shared import CUSTOMER_ID, ORDER_ID, TASK_QUEUE, TEMPORAL_ADDRESS, TEMPORAL_API_KEY, TEMPORAL_NAMESPACE, TEMPORAL_TLS
from workflows import ProcessOrder


async def place_order(order_id: str, customer_id: str) -> str:
    client = await Client.connect(TEMPORAL_ADDRESS, namespace=TEMPORAL_NAMESPACE, tls=TEMPORAL_TLS, api_key=TEMPORAL_API_KEY)
    return await client.execute_workflow(
        ProcessOrder.run,
        order_id,
        id=f"order-{order_id}",
        task_queue=TASK_QUEUE,
        search_attributes=TypedSearchAttributes([SearchAttributePair(ORDER_ID, order_id), SearchAttributePair(CUSTOMER_ID, customer_id)]),
    )


if __name__ == "__main__":
    print(asyncio.run(place_order(sys.argv[1], sys.argv[2])), flush=True)
    # A short-lived client process can abort at interpreter shutdown while the SDK's core threads
    # still run ("Fatal Python error: PyGILState_Release", temporalio/sdk-python#300). The work
    # is done and printed: leave without the interpreter's teardown.
    os._exit(0)
