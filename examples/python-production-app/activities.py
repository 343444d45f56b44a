"""Order activities. The order store is a folder of JSON files standing in for the orders database."""

import json
import os
from dataclasses import dataclass
from pathlib import Path

from temporalio import activity
from temporalio.exceptions import ApplicationError

STORE = Path(os.environ.get("ORDER_STORE_DIR", Path(__file__).parent / "order-store"))


@dataclass
class OrderLine:
    sku: str
    quantity: int
    price_cents: int


def _load(order_id: str) -> dict:
    path = STORE / f"{order_id}.json"
    if not path.exists():
        raise ApplicationError(f"order {order_id} does not exist", type="InvalidOrder", non_retryable=True)
    return json.loads(path.read_text())


@activity.defn(name="reserve-inventory")
async def reserve_inventory(order_id: str) -> int:
    order = _load(order_id)
    lines = [OrderLine(**line) for line in order["lines"]]
    if any(line.quantity <= 0 for line in lines):
        raise ApplicationError(f"order {order_id}: a line has no quantity", type="InvalidOrder", non_retryable=True)
    return sum(line.quantity for line in lines)


@activity.defn(name="charge-payment")
async def charge_payment(order_id: str) -> str:
    order = _load(order_id)
    total = sum(line["quantity"] * line["price_cents"] for line in order["lines"])
    if total > order.get("credit_limit_cents", 1_000_000):
        raise ApplicationError(f"order {order_id}: over the credit limit", type="PaymentDeclined", non_retryable=True)
    return f"charge-{order_id}-{total}"


@activity.defn(name="release-inventory")
async def release_inventory(order_id: str) -> None:
    activity.logger.info("released the stock of order %s", order_id)
