"""Today's date and the current time as the services see them (one source, settable in tests)."""

from __future__ import annotations

from datetime import date, datetime

from feedbackbot.core import timekeeping
from feedbackbot.services import standalone


def now() -> datetime:
    """The current time, aware, in UTC."""
    return timekeeping.now()


def today() -> date:
    """Today's date in the Trust's time zone."""
    app = standalone.current_app_or_none()
    zone = app.config["TIMEZONE"] if app is not None else standalone.settings()["TIMEZONE"]
    return timekeeping.today_in(zone)
