"""The current time in one place, so tests and the clock's catch-up can set it and all code agrees."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_frozen: datetime | None = None


def now() -> datetime:
    """The current time, aware, in UTC."""
    return _frozen or datetime.now(UTC)


def today_in(timezone: str) -> date:
    """Today's date in a time zone (deadlines are dates in Europe/London)."""
    return now().astimezone(ZoneInfo(timezone)).date()


def freeze(moment: datetime | None) -> None:
    """Fix "now" (tests use it for a controlled clock); None lets time run again."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("freeze needs an aware datetime")
    _frozen = moment.astimezone(UTC) if moment else None
