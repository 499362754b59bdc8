"""When reminders are due: working days and hours, bank holidays, overdue and escalation. Pure."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.procedures import load_procedures
from feedbackbot.core.reminders import Schedule, split_due
from feedbackbot.services.config import bundled

LONDON = ZoneInfo("Europe/London")
SCHEDULE = Schedule(
    WorkingDayCalendar(), load_procedures(bundled("procedures.yaml")).reminders, "Europe/London"
)


def at(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (at(2026, 11, 23, 9, 0), True),
        (at(2026, 11, 23, 8, 59), False),
        (at(2026, 11, 23, 16, 59), True),
        (at(2026, 11, 23, 17, 0), False),
        (at(2026, 11, 28, 10), False),  # Saturday
        (at(2026, 12, 28, 10), False),  # Boxing Day substitute
        (at(2026, 4, 6, 10), False),  # Easter Monday
    ],
)
def test_working_hours(moment, working):
    assert SCHEDULE.in_working_hours(moment) is working


@pytest.mark.parametrize(
    ("moment", "opening"),
    [
        (at(2026, 11, 27, 17, 30), at(2026, 11, 30, 9)),  # Friday evening -> Monday
        (at(2026, 11, 24, 7, 0), at(2026, 11, 24, 9)),  # early morning -> same day
        (at(2026, 12, 24, 17, 5), at(2026, 12, 29, 9)),  # Christmas Eve -> after the bank holidays
        (at(2026, 11, 24, 11, 0), at(2026, 11, 24, 11, 0)),  # in hours -> now
    ],
)
def test_next_opening(moment, opening):
    assert SCHEDULE.next_opening(moment) == opening


def names(deadline: date, now: datetime, kind: str = "response") -> list[tuple[str, datetime]]:
    return [(s.name, s.due_at) for s in SCHEDULE.steps(kind, deadline, now)]


def test_warnings_two_working_days_before_and_on_the_day_then_overdue_and_daily_escalation():
    friday = date(2026, 12, 4)
    assert names(friday, at(2026, 12, 2, 8, 59)) == []
    assert names(friday, at(2026, 12, 2, 9, 0)) == [("warn2", at(2026, 12, 2, 9))]
    assert names(friday, at(2026, 12, 9, 12)) == [
        ("warn2", at(2026, 12, 2, 9)),
        ("warn0", at(2026, 12, 4, 9)),
        ("overdue", at(2026, 12, 7, 9)),
        ("escalate-2026-12-08", at(2026, 12, 8, 9)),
        ("escalate-2026-12-09", at(2026, 12, 9, 9)),
    ]


def test_no_reminders_fall_on_weekends_or_bank_holidays():
    monday = date(2026, 11, 30)
    assert names(monday, at(2026, 11, 30, 9))[:2] == [
        ("warn2", at(2026, 11, 26, 9)),
        ("warn0", at(2026, 11, 30, 9)),
    ]
    after_christmas = date(2026, 12, 29)
    steps = names(after_christmas, at(2027, 1, 5, 10))
    assert steps == [
        ("warn2", at(2026, 12, 23, 9)),
        ("warn0", at(2026, 12, 29, 9)),
        ("overdue", at(2026, 12, 30, 9)),
        ("escalate-2026-12-31", at(2026, 12, 31, 9)),
        ("escalate-2027-01-04", at(2027, 1, 4, 9)),
        ("escalate-2027-01-05", at(2027, 1, 5, 9)),
    ]
    assert all(SCHEDULE.calendar.is_working_day(due.date()) for _, due in steps)


def test_a_deadline_on_a_non_working_day_is_warned_on_the_working_day_before():
    saturday = date(2026, 11, 28)
    assert names(saturday, at(2026, 11, 27, 9))[-1] == ("warn0", at(2026, 11, 27, 9))


def test_the_request_window_closing_is_warned_about_but_never_overdue():
    closes = date(2026, 12, 4)
    assert [n for n, _ in names(closes, at(2026, 12, 10), "request_window")] == ["warn2", "warn0"]


def test_after_downtime_only_the_latest_reminder_is_sent_and_the_rest_superseded():
    friday = date(2026, 12, 4)
    send, superseded = split_due(SCHEDULE.steps("response", friday, at(2026, 12, 8, 11)))
    assert send.name == "escalate-2026-12-08"
    assert [s.name for s in superseded] == ["warn2", "warn0", "overdue"]
    assert split_due([]) == (None, [])
