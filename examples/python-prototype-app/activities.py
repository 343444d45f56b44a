"""Order activities: charge the card, reserve stock, poll the carrier, e-mail the receipt."""

import asyncio
from dataclasses import dataclass

from temporalio import activity


class PaymentDeclined(Exception):
    """The card was declined: charging it again will not help."""


@dataclass
class Order:
    order_id: str
    amount_cents: int
    skus: list[str]


@activity.defn
async def charge_card(order: Order) -> str:
    if order.amount_cents <= 0:
        raise PaymentDeclined(f"order {order.order_id}: nothing to charge")
    return f"charge-{order.order_id}"


@activity.defn(name="reserve-stock")
async def reserve_stock(order: Order) -> None:
    activity.logger.info("reserving %d items", len(order.skus))


@activity.defn
async def track_shipment(order_id: str) -> str:
    status = "pending"
    while status != "delivered":
        await asyncio.sleep(60)
        status = await _carrier_status(order_id)
    return status


async def _carrier_status(order_id: str) -> str:
    return "delivered"


@activity.defn
async def send_receipt(order_id: str) -> None:
    activity.logger.info("receipt for %s", order_id)


@activity.defn
async def sync_catalog() -> int:
    return 0
