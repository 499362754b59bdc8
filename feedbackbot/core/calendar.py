"""Working days for England: weekends, England & Wales bank holidays and the Trust's own closures.

The counting rule of the complaints procedure: the day a complaint is received is day 0 and the
next working day is day 1; a complaint received on a non-working day counts as received on the
next working day. Bank holidays come from the `holidays` package (`UK`, `subdiv="ENG"`), which
has substitute days and one-off days such as 2022-09-19 and 2023-05-08.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

SATURDAY = 5
MEMO_LIMIT = 100_000  # remembered answers per calendar before starting afresh


@lru_cache(maxsize=8)
def _bank_holidays(subdiv: str) -> holidays.HolidayBase:
    # `expand=True` (the default) fills in each year the first time a date in it is asked about.
    return holidays.country_holidays("GB", subdiv=subdiv)


class WorkingDayCalendar:
    """Answers "is this a working day?" and counts working days; immutable, safe to share."""

    def __init__(self, extra_closures: Iterable[date] = (), subdiv: str = "ENG") -> None:
        self._holidays = _bank_holidays(subdiv)
        self.extra_closures = frozenset(extra_closures)
        # Answers already worked out: the clock's sweep asks the same few hundred dates for
        # thousands of cases. Only ever filled with the one right answer, so sharing is safe.
        self._added: dict[tuple[date, int], date] = {}

    def holiday_name(self, day: date) -> str | None:
        """Name the bank holiday or closure on this day, if any."""
        if day in self.extra_closures:
            return "Trust closure day"
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        """Not a weekend, a bank holiday or a closure day."""
        return day.weekday() < SATURDAY and day not in self._holidays and day not in self.extra_closures

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def clock_start(self, received: date) -> date:
        """Day 0 of a timescale: the day of receipt, or the next working day if it was not one."""
        return received if self.is_working_day(received) else self.next_working_day(received)

    def add_working_days(self, start: date, days: int) -> date:
        """Day `days` counting from `start` as day 0 (a non-working start rolls forward first)."""
        if days < 0:
            raise ValueError("count forwards only")
        known = self._added.get((start, days))
        if known is not None:
            return known
        day = self.clock_start(start)
        for _ in range(days):
            day = self.next_working_day(day)
        if len(self._added) > MEMO_LIMIT:
            self._added.clear()
        self._added[(start, days)] = day
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end is not later)."""
        if end <= start:
            return 0
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def working_days_in(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included (used to measure a paused clock)."""
        if last < first:
            return 0
        count = 0
        day = first
        while day <= last:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count


def local_date(moment: datetime, timezone: str) -> date:
    """The calendar date of a UTC moment in the Trust's time zone (deadlines are London dates)."""
    return moment.astimezone(ZoneInfo(timezone)).date()
