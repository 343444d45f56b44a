"""The order workflow: reserve the stock, charge the card, release the stock if the charge fails."""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities import charge_payment, release_inventory, reserve_inventory

BUSINESS_ERRORS = ["InvalidOrder", "PaymentDeclined"]

RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=5,
    non_retryable_error_types=BUSINESS_ERRORS,
)


@workflow.defn(name="process-order")
class ProcessOrder:
    @workflow.run
    async def run(self, order_id: str) -> str:
        await workflow.execute_activity(
            reserve_inventory,
            order_id,
            schedule_to_start_timeout=timedelta(minutes=1),
            start_to_close_timeout=timedelta(seconds=30),
            schedule_to_close_timeout=timedelta(minutes=5),
            retry_policy=RETRY,
        )
        try:
            charge = await workflow.execute_activity(
                charge_payment,
                order_id,
                schedule_to_start_timeout=timedelta(minutes=1),
                start_to_close_timeout=timedelta(seconds=30),
                schedule_to_close_timeout=timedelta(minutes=5),
                retry_policy=RETRY,
            )
        except ActivityError as error:
            await workflow.execute_activity(
                release_inventory,
                order_id,
                schedule_to_start_timeout=timedelta(minutes=1),
                start_to_close_timeout=timedelta(seconds=30),
                schedule_to_close_timeout=timedelta(minutes=5),
                retry_policy=RETRY,
            )
            raise ApplicationError(f"order {order_id} was not charged", type="OrderNotCharged", non_retryable=True) from error
        return charge
