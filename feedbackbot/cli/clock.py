"""`feedbackbot clock`: the scheduler process named `clock:` in the Procfile."""

from __future__ import annotations

from datetime import datetime

import click
from flask import current_app

from feedbackbot.clock.scheduler import build_scheduler, run_all_jobs_once
from feedbackbot.core import timekeeping


@click.command("clock")
@click.option("--once", is_flag=True, help="Run every job once and exit (cron-style hosting, tests).")
def clock(once: bool) -> None:
    """Run the scheduler: reminders, digests, safeguarding reminders, sending notifications."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("CLOCK_NOW"):  # tests only; refused outside FEEDBACKBOT_ENV=testing
        timekeeping.freeze(datetime.fromisoformat(app.config["CLOCK_NOW"]))
    from feedbackbot.app import settle_memory

    if not app.config.get("TESTING"):  # tests build many apps in one process: nothing frozen there
        settle_memory()
    if once:
        run_all_jobs_once(app)
        return
    from feedbackbot.clock import jobs

    jobs.in_app_context(app, "deadline-index", jobs.refresh_deadline_index)()
    scheduler = build_scheduler(app)
    click.echo(f"clock started ({len(scheduler.get_jobs())} jobs, {scheduler.timezone})")
    scheduler.start()
