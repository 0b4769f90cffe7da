"""Nightly full run, on Beijing time."""

import dagster as dg

from pipeline.defs.jobs import JOB_NAME
from pipeline.settings import SCHEDULE_CRON, SCHEDULE_TIMEZONE

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_schedule",
    job_name=JOB_NAME,
    cron_schedule=SCHEDULE_CRON,
    execution_timezone=SCHEDULE_TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
