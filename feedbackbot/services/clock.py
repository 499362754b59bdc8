"""Today's date and the current time as the services see them (one source, settable in tests)."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, has_app_context

from feedbackbot.core import timekeeping


def now() -> datetime:
    """The current time, aware, in UTC."""
    return timekeeping.now()


def today() -> date:
    """Today's date in the Trust's time zone."""
    zone = current_app.config["TIMEZONE"] if has_app_context() else "Europe/London"
    return timekeeping.today_in(zone)
