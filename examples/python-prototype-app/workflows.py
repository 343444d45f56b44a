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


# The daily report (appended with its imports so the lines above keep their numbers).
import uuid  # noqa: E402
from datetime import datetime  # noqa: E402

with workflow.unsafe.imports_passed_through():
    import report_store  # noqa: E402


@workflow.defn(name="daily-report")
class DailyReportWorkflow:
    @workflow.run
    async def run(self, day: str) -> str:
        if not day:
            raise ValueError("day is required")
        started = datetime.now()
        report_id = str(uuid.uuid4())
        await workflow.sleep(timedelta(minutes=1))
        if not workflow.unsafe.is_replaying():
            workflow.logger.info("report %s started at %s", report_id, workflow.now())
        report_store.save(report_id, day)
        return f"{report_id}:{started.isoformat()}"
