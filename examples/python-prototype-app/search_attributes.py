"""Search attributes the order workflows are listed by."""

from temporalio.common import SearchAttributeKey

CUSTOMER_ID = SearchAttributeKey.for_keyword("CustomerId")
ORDER_NUMBER = SearchAttributeKey.for_text("OrderNumber")
