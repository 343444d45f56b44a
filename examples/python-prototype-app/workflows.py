"""The order workflow: charge, reserve, ship, notify."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities import Order, charge_card, reserve_stock, send_receipt, sync_catalog, track_shipment

STOCK_OPTIONS = {"schedule_to_close_timeout": timedelta(minutes=10)}


@workflow.defn
class OrderWorkflow:
    @workflow.run
    async def run(self, order: Order) -> str:
        charge_id = await workflow.execute_activity(
            charge_card,
            order,
            start_to_close_timeout=timedelta(seconds=30),
        )
        await workflow.execute_activity(reserve_stock, order, **STOCK_OPTIONS)
        await workflow.execute_activity(
            track_shipment,
            order.order_id,
            start_to_close_timeout=timedelta(hours=2),
            retry_policy=RetryPolicy(maximum_attempts=3, backoff_coefficient=0.5),
        )
        await workflow.execute_activity(send_receipt, order.order_id)
        return charge_id

    @workflow.signal
    async def cancel(self) -> None:
        self._cancelled = True


@workflow.defn(name="catalog-sync")
class CatalogSyncWorkflow:
    @workflow.run
    async def run(self) -> int:
        return await workflow.execute_local_activity(
            sync_catalog,
            start_to_close_timeout=timedelta(seconds=5),
            retry_policy=RetryPolicy(maximum_attempts=2),
        )
