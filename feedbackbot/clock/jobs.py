"""The clock's jobs. Each reads the database and writes rows; nothing lives only in the scheduler.

Every job is safe to run twice, late or from two processes at once: reminders, digests and
safeguarding re-notifications are outbox rows with unique keys, and the outbox claims each row
before sending it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.cron import CronTrigger
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


def in_app_context(app: Flask, name: str, func: Callable[[], Any]) -> Callable[[], None]:
    """Run a job inside the app, log a failure without stopping the clock, then record a heartbeat."""

    def run() -> None:
        from feedbackbot.extensions import db
        from feedbackbot.services.heartbeat import beat

        with app.app_context():
            try:
                outcome = func()
                if outcome is not None:
                    log.info("%s: %s", name, outcome)
            except Exception:
                log.exception("clock job %s failed; it runs again on schedule", name)
                db.session.rollback()
            try:
                beat(name)
            except Exception:
                log.exception("could not record the clock heartbeat")
                db.session.rollback()
            finally:
                db.session.remove()

    run.__name__ = name
    return run


def heartbeat() -> None:
    """Say the clock is alive (the wrapper records it)."""


def refresh_deadline_index() -> str:
    """Re-derive every open case's soonest deadline, so configuration changes reach the sweep."""
    from feedbackbot.services.complaints import refresh_deadline_index as refresh

    return f"{refresh()} open case(s) re-indexed"


def sweep_reminders() -> str:
    """Queue the reminders whose moment has come."""
    from feedbackbot.services.reminders import sweep

    return str(sweep())


def digests() -> str | None:
    """The daily digest, the weekly one for managers and the monthly report, each once."""
    from feedbackbot.services.reminders import daily_digest, monthly_report, weekly_digest

    queued = [
        name
        for name, row in (
            ("daily", daily_digest()),
            ("weekly", weekly_digest()),
            ("monthly", monthly_report()),
        )
        if row
    ]
    return f"queued {', '.join(queued)} digest(s)" if queued else None


def renotify_safeguarding() -> str | None:
    """Queue reminders for safeguarding alerts nobody has acknowledged."""
    from feedbackbot.services.safeguarding import renotify_unacknowledged

    count = renotify_unacknowledged()
    return f"{count} safeguarding reminder(s) queued" if count else None


def dispatch_outbox() -> str | None:
    """Send whatever notifications are due, retrying failures with backoff."""
    from feedbackbot.services.outbox import dispatch_pending

    result = dispatch_pending()
    return str(result) if (result.sent or result.failed or result.reconciled) else None


def apply_retention() -> str | None:
    """Anonymise or delete what is past its retention (the rules in retention.yaml)."""
    from feedbackbot.services.retention import run_retention

    result = run_retention()
    return None if str(result) == "nothing past its retention" else str(result)


def sar_reminders() -> str | None:
    """Remind information governance of subject access requests nearly or already due."""
    from feedbackbot.services.subject_access import queue_reminders

    count = queue_reminders()
    return f"{count} subject access reminder(s) queued" if count else None


# Order matters for `feedbackbot clock --once`: queue everything first, then send.
JOBS: list[Job] = [
    Job("heartbeat", heartbeat, lambda app: IntervalTrigger(minutes=1), 60),
    Job("deadline-index", refresh_deadline_index, lambda app: CronTrigger(hour=6, minute=0), 8 * 3600),
    Job("safeguarding-renotify", renotify_safeguarding, lambda app: IntervalTrigger(minutes=1), 300),
    Job("reminders", sweep_reminders, lambda app: IntervalTrigger(minutes=5), 600),
    Job("digests", digests, lambda app: IntervalTrigger(minutes=5), 600),
    Job("sar-reminders", sar_reminders, lambda app: IntervalTrigger(hours=1), 3600),
    Job("retention", apply_retention, lambda app: CronTrigger(hour=2, minute=30), 20 * 3600),
    Job("outbox-dispatch", dispatch_outbox, lambda app: IntervalTrigger(seconds=30), 300),
]
