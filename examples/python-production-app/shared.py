"""Names the worker, the starter and the workflows agree on."""

import os

from temporalio.common import SearchAttributeKey

TASK_QUEUE = os.environ.get("TASK_QUEUE", "orders")
TEMPORAL_ADDRESS = os.environ.get("TEMPORAL_ADDRESS", "localhost:7233")
TEMPORAL_NAMESPACE = os.environ.get("TEMPORAL_NAMESPACE", "default")

# Keyword attributes: exact-match identifiers, registered on the namespace as Keyword.
ORDER_ID = SearchAttributeKey.for_keyword("OrderId")
CUSTOMER_ID = SearchAttributeKey.for_keyword("CustomerId")
