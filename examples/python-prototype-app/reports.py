"""Nightly sales reports: export the rows, render the PDF, mail it with the SMTP password."""

from dataclasses import dataclass
from datetime import timedelta

from temporalio import activity, workflow
from temporalio.common import RetryPolicy

REPORT_OPTIONS = {
    "start_to_close_timeout": timedelta(minutes=5),
    "schedule_to_start_timeout": timedelta(minutes=10),
    "retry_policy": RetryPolicy(initial_interval=timedelta(seconds=5), backoff_coefficient=2.0, maximum_interval=timedelta(minutes=1), maximum_attempts=5),
}


@dataclass
class MailSettings:
    host: str
    smtp_password: str


@activity.defn
def render_pdf(report_id: str) -> bytes:
    return b"%PDF-1.7"


@activity.defn
async def mail_report(report_id: str, settings: MailSettings) -> None:
    activity.logger.info("mailing %s via %s", report_id, settings.host)


@workflow.defn
class NightlyReportWorkflow:
    @workflow.run
    async def run(self, report_id: str, settings: MailSettings) -> None:
        while True:
            await workflow.execute_activity(render_pdf, report_id, **REPORT_OPTIONS)
            await workflow.execute_activity(mail_report, args=[report_id, settings], **REPORT_OPTIONS)
            await workflow.sleep(timedelta(days=1))
