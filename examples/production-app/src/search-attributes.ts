// Business identifiers indexed as KEYWORD (exact match), so support can find an order's workflow
// with `OrderId = "A-1001"` or list a customer's orders. Register them once per namespace:
//   temporal operator search-attribute create --name OrderId --type Keyword
//   temporal operator search-attribute create --name CustomerId --type Keyword

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const ORDER_ID = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const CUSTOMER_ID = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
