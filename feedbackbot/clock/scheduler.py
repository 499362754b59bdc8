"""APScheduler set-up for the clock process; the jobs themselves live in clock/jobs.py."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from feedbackbot.clock import jobs

log = logging.getLogger(__name__)


def build_scheduler(app: Flask) -> BlockingScheduler:
    """Create the scheduler with every job; each job runs inside an app context."""
    scheduler = BlockingScheduler(timezone=ZoneInfo(app.config["TIMEZONE"]))
    for job in jobs.JOBS:
        scheduler.add_job(
            jobs.in_app_context(app, job.func),
            trigger=job.trigger(app),
            id=job.name,
            name=job.name,
            # A clock that was down runs each job once on waking, not once per missed run.
            coalesce=True,
            misfire_grace_time=job.misfire_grace_seconds,
            max_instances=1,
            replace_existing=True,
        )
    return scheduler


def run_all_jobs_once(app: Flask) -> None:
    """Run every job once, in order, then return (`feedbackbot clock --once`)."""
    for job in jobs.JOBS:
        log.info("running %s", job.name)
        jobs.in_app_context(app, job.func)()
