"""The clock's heartbeat and the health of the parts the web app depends on."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from feedbackbot.extensions import db
from feedbackbot.models import ClockHeartbeat
from feedbackbot.services import clock, outbox

CLOCK = "clock"


def beat(job: str) -> None:
    """Record that the clock is alive and what it last ran."""
    row = db.session.get(ClockHeartbeat, CLOCK)
    if row is None:
        row = ClockHeartbeat(name=CLOCK, host=socket.gethostname()[:200], pid=os.getpid())
        db.session.add(row)
    row.beat_at, row.host, row.pid, row.last_job = clock.now(), socket.gethostname()[:200], os.getpid(), job
    db.session.commit()


@dataclass
class Health:
    """Overall status (ok, degraded, unhealthy) and each check."""

    status: str
    checks: dict[str, Any]

    @property
    def http_status(self) -> int:
        """503 only when something the service cannot work without is down."""
        return 503 if self.status == "unhealthy" else 200


def health() -> Health:
    """The database, the clock's last heartbeat and the notification backlog."""
    checks: dict[str, Any] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = {"status": "ok"}
    except SQLAlchemyError as exc:
        db.session.rollback()
        return Health("unhealthy", {"database": {"status": "unhealthy", "error": type(exc).__name__}})
    now = clock.now()
    stale = timedelta(minutes=current_app.config["CLOCK_STALE_MINUTES"])
    row = db.session.scalars(select(ClockHeartbeat).where(ClockHeartbeat.name == CLOCK)).first()
    if row is None:
        checks["clock"] = {
            "status": "unhealthy",
            "last_heartbeat": None,
            "message": "the clock has never run",
        }
    else:
        age = now - row.beat_at
        checks["clock"] = {
            "status": "ok" if age <= stale else "unhealthy",
            "last_heartbeat": row.beat_at.isoformat(),
            "seconds_ago": int(age.total_seconds()),
            "last_job": row.last_job,
        }
        if age > stale:
            checks["clock"]["message"] = (
                f"silent for more than {current_app.config['CLOCK_STALE_MINUTES']} minutes"
            )
    pending, oldest, error = outbox.backlog()
    backlog: dict[str, Any] = {"status": "ok", "pending": pending}
    if oldest is not None:
        waited = now - oldest
        backlog["oldest_seconds"] = int(waited.total_seconds())
        if error and waited > timedelta(minutes=current_app.config["OUTBOX_STALE_MINUTES"]):
            backlog.update(
                status="degraded", last_error=error, message="Slack notifications are not getting through"
            )
        elif error:
            backlog["last_error"] = error
    checks["notifications"] = backlog
    statuses = {c["status"] for c in checks.values()}
    overall = "unhealthy" if "unhealthy" in statuses else "degraded" if "degraded" in statuses else "ok"
    return Health(overall, checks)
