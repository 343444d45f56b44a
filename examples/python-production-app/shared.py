"""Names the worker, the starter and the workflows agree on."""

import os

from temporalio.common import SearchAttributeKey

TASK_QUEUE = os.environ.get("TASK_QUEUE", "orders")
TEMPORAL_ADDRESS = os.environ.get("TEMPORAL_ADDRESS", "localhost:7233")
TEMPORAL_NAMESPACE = os.environ.get("TEMPORAL_NAMESPACE", "default")
# TLS and an API key come from the environment: a secured server or Temporal Cloud is configuration.
TEMPORAL_TLS = os.environ.get("TEMPORAL_TLS") == "true"
TEMPORAL_API_KEY = os.environ.get("TEMPORAL_API_KEY")

# Keyword attributes: exact-match identifiers, registered on the namespace as Keyword.
ORDER_ID = SearchAttributeKey.for_keyword("OrderId")
CUSTOMER_ID = SearchAttributeKey.for_keyword("CustomerId")
