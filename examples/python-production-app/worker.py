"""Runs the order worker: `python worker.py`. Metrics on METRICS_BIND_ADDRESS (Prometheus, /metrics)."""

import asyncio
import os
from datetime import timedelta

from temporalio.client import Client
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from activities import charge_payment, release_inventory, reserve_inventory
from shared import TASK_QUEUE, TEMPORAL_ADDRESS, TEMPORAL_API_KEY, TEMPORAL_NAMESPACE, TEMPORAL_TLS
from workflows import ProcessOrder


async def main() -> None:
    runtime = Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=os.environ.get("METRICS_BIND_ADDRESS", "127.0.0.1:9464"))))
    client = await Client.connect(TEMPORAL_ADDRESS, namespace=TEMPORAL_NAMESPACE, tls=TEMPORAL_TLS, api_key=TEMPORAL_API_KEY, runtime=runtime)
    worker = Worker(
        client,
        task_queue=TASK_QUEUE,
        workflows=[ProcessOrder],
        activities=[reserve_inventory, charge_payment, release_inventory],
        max_concurrent_activities=50,
        max_concurrent_workflow_tasks=20,
        graceful_shutdown_timeout=timedelta(seconds=30),
    )
    print(f"worker started on task queue {TASK_QUEUE}", flush=True)
    await worker.run()


if __name__ == "__main__":
    asyncio.run(main())
