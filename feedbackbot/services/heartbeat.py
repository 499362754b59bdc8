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


# What a young person's turn writes to: if these cannot be written, the chat cannot work.
CHAT_TABLES = ("conversation", "conversation_message", "feedback")


def database_check() -> dict[str, Any]:
    """Whether the database answers queries now, and could take a young person's message.

    On PostgreSQL the chat's tables are locked as an INSERT would lock them, without waiting
    (NOWAIT), then let go: a migration or a stuck session holding a table makes this fail at
    once, while a plain connection test would still pass. Every query also has the statement
    timeout, so a database that accepts connections but does not answer is noticed too.
    """
    try:
        if db.session.get_bind().dialect.name == "postgresql":
            tables = ", ".join(CHAT_TABLES)
            db.session.execute(text(f"LOCK TABLE {tables} IN ROW EXCLUSIVE MODE NOWAIT"))
        else:
            for table in CHAT_TABLES:
                db.session.execute(text(f"SELECT 1 FROM {table} LIMIT 1"))
        db.session.rollback()
    except SQLAlchemyError as exc:
        try:
            db.session.rollback()
        except SQLAlchemyError:
            db.session.remove()
        return {
            "status": "unhealthy",
            "error": type(getattr(exc, "orig", None) or exc).__name__,
            "message": "the database is not answering queries (busy, locked or unreachable)",
        }
    return {"status": "ok"}


def health() -> Health:
    """The database, the clock's last heartbeat and the notification backlog."""
    checks: dict[str, Any] = {"database": database_check()}
    if checks["database"]["status"] != "ok":
        return Health("unhealthy", checks)
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
