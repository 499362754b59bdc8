"""APScheduler set-up for the clock process (BlockingScheduler, Europe/London)."""

from __future__ import annotations

import logging
import signal
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from feedbackbot.clock import jobs

log = logging.getLogger(__name__)


def build_scheduler(app: Flask) -> BlockingScheduler:
    """Create the scheduler with every job.

    coalesce=True: a clock that was down runs each job once on waking, not once per missed run.
    misfire_grace_time: how late a run may still happen (short for frequent jobs, hours for the
    daily index refresh). max_instances=1: a slow run is never overlapped by the next one.
    """
    scheduler = BlockingScheduler(timezone=ZoneInfo(app.config["TIMEZONE"]))
    for job in jobs.JOBS:
        scheduler.add_job(
            jobs.in_app_context(app, job.name, job.func),
            trigger=job.trigger(app),
            id=job.name,
            name=job.name,
            coalesce=True,
            misfire_grace_time=job.misfire_grace_seconds,
            max_instances=1,
            replace_existing=True,
        )

    def stop(signum: int, frame: Any) -> None:
        log.info("clock stopping (signal %s); the job in progress finishes first", signum)
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    return scheduler


def run_all_jobs_once(app: Flask) -> None:
    """Run every job once, in order, then return (`feedbackbot clock --once`)."""
    for job in jobs.JOBS:
        log.info("running %s", job.name)
        jobs.in_app_context(app, job.name, job.func)()
