"""The clock's jobs. Each reads the database and writes rows; nothing lives only in memory."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A scheduled job: its name, when it runs and how late it may still run after downtime."""

    name: str
    func: Callable[[], Any]
    trigger: Callable[[Flask], Any]
    misfire_grace_seconds: int


def in_app_context(app: Flask, func: Callable[[], Any]) -> Callable[[], None]:
    """Wrap a job so it runs inside the app and a failure is logged, not fatal to the clock."""

    def run() -> None:
        with app.app_context():
            try:
                func()
            except Exception:
                log.exception("clock job %s failed; it will run again on schedule", func.__name__)
                from feedbackbot.extensions import db

                db.session.rollback()

    run.__name__ = func.__name__
    return run


def heartbeat() -> None:
    """Say the clock is alive (recorded in the database from the clock issue on)."""
    log.info("clock heartbeat")


def renotify_safeguarding() -> None:
    """Queue reminders for safeguarding alerts nobody has acknowledged."""
    from feedbackbot.services.safeguarding import renotify_unacknowledged

    renotify_unacknowledged()


def dispatch_outbox() -> None:
    """Send whatever notifications are due, retrying failures with backoff."""
    from feedbackbot.services.outbox import dispatch_pending

    dispatch_pending()


JOBS: list[Job] = [
    Job("heartbeat", heartbeat, lambda app: IntervalTrigger(minutes=1), 60),
    Job("safeguarding-renotify", renotify_safeguarding, lambda app: IntervalTrigger(minutes=1), 300),
    Job("outbox-dispatch", dispatch_outbox, lambda app: IntervalTrigger(seconds=30), 300),
]
