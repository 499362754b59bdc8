"""`feedbackbot clock`: the scheduler process named `clock:` in the Procfile."""

from __future__ import annotations

import click
from flask import current_app

from feedbackbot.clock.scheduler import build_scheduler, run_all_jobs_once


@click.command("clock")
@click.option("--once", is_flag=True, help="Run every job once and exit (cron-style hosting).")
def clock(once: bool) -> None:
    """Run the scheduler (never inside web workers)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        run_all_jobs_once(app)
        return
    scheduler = build_scheduler(app)
    click.echo(f"clock started ({len(scheduler.get_jobs())} jobs, {scheduler.timezone})")
    scheduler.start()
