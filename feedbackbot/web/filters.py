"""Jinja filters: dates as people in Sandwell read them."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app

from feedbackbot.core.calendar import local_date
from feedbackbot.core.conversation import format_date


def london_date(value: datetime | date | None) -> str:
    """A moment or date as "Friday 4 December 2026", in the Trust's time zone."""
    if value is None:
        return ""
    day = local_date(value, current_app.config["TIMEZONE"]) if isinstance(value, datetime) else value
    return format_date(day)


def london_time(value: datetime | None) -> str:
    """A moment as "4 Dec 2026 14:05" in the Trust's time zone."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    local = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return f"{local.day} {local:%b %Y %H:%M}"


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(london_date)
    app.add_template_filter(london_time)
