"""Reporting periods: a month, a quarter, the financial year (April-March), year to date, any range.

Pure. Every period also knows the same period a year earlier, for the comparison column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("month", "quarter", "ytd", "year", "range")


class PeriodError(ValueError):
    """The period asked for cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class Period:
    """An inclusive range of London dates with a label a manager recognises."""

    start: date
    end: date
    label: str

    def year_earlier(self) -> Period:
        """The same dates a year before (29 February becomes the 28th)."""
        return Period(_year_before(self.start), _year_before(self.end), f"{self.label}, a year earlier")

    def contains(self, day: date | None) -> bool:
        """Whether a day falls inside the period."""
        return day is not None and self.start <= day <= self.end

    def months(self) -> list[tuple[int, int]]:
        """Each (year, month) the period touches, in order (for the chart by month)."""
        out = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _month_end(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def financial_year_start(day: date) -> int:
    """The calendar year in which the financial year holding `day` began (April-March)."""
    return day.year if day.month >= 4 else day.year - 1


def month(year: int, number: int) -> Period:
    """A calendar month."""
    first = date(year, number, 1)
    return Period(first, _month_end(year, number), f"{first:%B %Y}")


def quarter(day: date) -> Period:
    """The financial quarter (Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar) holding `day`."""
    first_month = ((day.month - 1) // 3) * 3 + 1
    first = date(day.year, first_month, 1)
    end = _month_end(day.year, first_month + 2)
    number = {4: 1, 7: 2, 10: 3, 1: 4}[first_month]
    fy = financial_year_start(day)
    return Period(first, end, f"Q{number} {fy}/{(fy + 1) % 100:02d} ({first:%b}-{end:%b %Y})")


def financial_year(start_year: int) -> Period:
    """April of `start_year` to March of the next year."""
    return Period(
        date(start_year, 4, 1), date(start_year + 1, 3, 31), f"{start_year}/{(start_year + 1) % 100:02d}"
    )


def year_to_date(today: date) -> Period:
    """The financial year so far, up to today."""
    fy = financial_year_start(today)
    return Period(date(fy, 4, 1), today, f"{fy}/{(fy + 1) % 100:02d} to {today:%d %B %Y}")


def date_range(start: date, end: date) -> Period:
    """Any inclusive range."""
    if end < start:
        raise PeriodError("the end of the period is before its start")
    if (end - start).days > 3 * 366:
        raise PeriodError("a report covers at most three years")
    return Period(start, end, f"{start:%d %B %Y} to {end:%d %B %Y}")


def parse_date(text: str, what: str) -> date:
    """A YYYY-MM-DD date, or a clear message."""
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise PeriodError(f"{what} must be a date written YYYY-MM-DD") from None


def parse_period(
    kind: str | None, today: date, *, at: str | None = None, start: str | None = None, end: str | None = None
) -> Period:
    """Read a period from a form or a command line: `kind` plus a month (YYYY-MM), a year or dates."""
    kind = kind or "month"
    if kind not in KINDS:
        raise PeriodError(f"the period must be one of {', '.join(KINDS)}")
    if kind == "range":
        if not start or not end:
            raise PeriodError("give both the start and the end of the range")
        return date_range(parse_date(start, "the start"), parse_date(end, "the end"))
    if kind == "ytd":
        return year_to_date(today)
    if kind == "year":
        if at:
            try:
                year = int(at.strip()[:4])
            except ValueError:
                raise PeriodError(
                    "the financial year is written YYYY (the year it starts in April)"
                ) from None
        else:
            year = financial_year_start(today)
        if not 2000 <= year <= 2100:
            raise PeriodError("the financial year is written YYYY (the year it starts in April)")
        return financial_year(year)
    day = today
    if at:
        try:
            year, number = (int(part) for part in at.strip()[:7].split("-"))
            day = date(year, number, 1)
        except ValueError:
            raise PeriodError("the month is written YYYY-MM") from None
    return month(day.year, day.month) if kind == "month" else quarter(day)
