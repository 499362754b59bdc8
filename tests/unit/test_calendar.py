"""Working days in England: weekends, bank holidays (substitute and one-off days) and Trust closures."""

from __future__ import annotations

from datetime import date

import pytest

from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.procedures import load_procedures, stage_timescales
from feedbackbot.services.config import bundled

CAL = WorkingDayCalendar()
PROCEDURES = load_procedures(bundled("procedures.yaml"))
STATUTORY = PROCEDURES.procedure("statutory")
CORPORATE = PROCEDURES.procedure("corporate")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),  # Christmas Day (Friday)
        (date(2026, 12, 26), False),  # Boxing Day (Saturday)
        (date(2026, 12, 28), False),  # Boxing Day substitute (Monday)
        (date(2026, 12, 29), True),
        (date(2027, 1, 1), False),
        (date(2027, 12, 27), False),  # Christmas substitute (Monday)
        (date(2027, 12, 28), False),  # Boxing Day substitute (Tuesday)
        (date(2027, 12, 29), True),
        (date(2028, 1, 3), False),  # New Year's Day (Saturday) substitute
        (date(2026, 4, 3), False),  # Good Friday 2026
        (date(2026, 4, 6), False),  # Easter Monday 2026 (missing without subdiv="ENG")
        (date(2027, 3, 26), False),  # Good Friday 2027
        (date(2027, 3, 29), False),  # Easter Monday 2027
        (date(2026, 8, 31), False),  # Summer bank holiday (England only)
        (date(2022, 9, 19), False),  # State funeral, one-off
        (date(2023, 5, 8), False),  # Coronation, one-off
        (date(2026, 11, 21), False),  # a Saturday
        (date(2026, 11, 23), True),
    ],
)
def test_working_days(day, working):
    assert CAL.is_working_day(day) is working


def test_day_of_receipt_is_day_0():
    assert CAL.add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)
    assert CAL.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 24)
    assert CAL.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Friday -> Monday


def test_received_on_a_saturday_counts_from_monday():
    assert CAL.clock_start(date(2026, 11, 21)) == date(2026, 11, 23)
    assert CAL.add_working_days(date(2026, 11, 21), 10) == date(2026, 12, 7)


def test_received_on_a_bank_holiday_counts_from_the_next_working_day():
    times = stage_timescales(STATUTORY.stage(1), date(2026, 4, 6), CAL)  # Easter Monday
    assert times.clock_start == date(2026, 4, 7)
    assert times.acknowledge_by == date(2026, 4, 10)
    assert times.respond_by == date(2026, 4, 21)


def test_christmas_and_new_year_2026_27():
    times = stage_timescales(STATUTORY.stage(1), date(2026, 12, 24), CAL)
    assert (times.acknowledge_by, times.respond_by, times.extended_respond_by) == (
        date(2026, 12, 31),
        date(2027, 1, 12),
        date(2027, 1, 26),
    )


def test_christmas_and_new_year_2027_28():
    times = stage_timescales(STATUTORY.stage(1), date(2027, 12, 23), CAL)
    # day 1: Fri 24; 27 and 28 Dec are substitute days; 29, 30, 31; 3 Jan is the New Year substitute.
    assert times.acknowledge_by == date(2027, 12, 30)
    assert times.respond_by == date(2028, 1, 11)


def test_easter_2026_and_2027():
    assert stage_timescales(STATUTORY.stage(1), date(2026, 4, 1), CAL).respond_by == date(2026, 4, 17)
    assert stage_timescales(STATUTORY.stage(1), date(2027, 3, 24), CAL).respond_by == date(2027, 4, 9)


def test_stage_2_extended_to_65_working_days():
    times = stage_timescales(STATUTORY.stage(2), date(2026, 11, 23), CAL)
    assert times.respond_by == date(2026, 12, 30)  # 25 working days, across Christmas
    assert times.extended_respond_by == date(2027, 2, 25)  # 65 working days
    assert CAL.working_days_between(date(2026, 11, 23), times.extended_respond_by) == 65


def test_stage_3_panel_report_and_response():
    times = stage_timescales(STATUTORY.stage(3), date(2027, 3, 25), CAL)
    assert times.panel_by == date(2027, 5, 11)
    assert times.panel_report_by == date(2027, 5, 18)
    assert times.respond_by == date(2027, 6, 9)


def test_corporate_responds_from_acknowledgement():
    times = stage_timescales(CORPORATE.stage(1), date(2026, 11, 23), CAL)
    assert times.acknowledge_by == date(2026, 11, 30)
    assert times.respond_by == date(2026, 12, 14)  # 10 working days after acknowledge-by
    early = stage_timescales(CORPORATE.stage(1), date(2026, 11, 23), CAL, acknowledged=date(2026, 11, 24))
    assert early.respond_by == date(2026, 12, 8)


def test_a_pause_moves_deadlines_by_the_working_days_paused():
    plain = stage_timescales(STATUTORY.stage(1), date(2026, 12, 14), CAL)
    # paused 21 Dec to 4 Jan: 21-24, 29-31 Dec are working days (25, 28 Dec and 1 Jan are not) = 7
    paused_days = CAL.working_days_in(date(2026, 12, 21), date(2027, 1, 3))
    assert paused_days == 7
    moved = stage_timescales(STATUTORY.stage(1), date(2026, 12, 14), CAL, paused_working_days=paused_days)
    assert CAL.working_days_between(plain.respond_by, moved.respond_by) == 7


def test_trust_closure_days_from_configuration():
    closed = WorkingDayCalendar([date(2026, 11, 24)])
    assert not closed.is_working_day(date(2026, 11, 24))
    assert closed.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)
    assert closed.holiday_name(date(2026, 11, 24)) == "Trust closure day"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--procedure", "statutory", "--stage", "1", "--received", "2026-12-24"],
            {
                "received": "2026-12-24",
                "clock_start": "2026-12-24",
                "acknowledge_by": "2026-12-31",
                "respond_by": "2027-01-12",
                "extended_respond_by": "2027-01-26",
            },
        ),
        (
            ["--procedure", "statutory", "--stage", "1", "--received", "2026-04-06"],
            {"clock_start": "2026-04-07", "respond_by": "2026-04-21"},
        ),
        (
            ["--procedure", "statutory", "--stage", "1", "--received", "2026-11-21"],
            {"clock_start": "2026-11-23", "respond_by": "2026-12-07"},
        ),
        (
            ["--procedure", "statutory", "--stage", "2", "--received", "2026-11-23"],
            {"respond_by": "2026-12-30", "extended_respond_by": "2027-02-25"},
        ),
        (
            ["--procedure", "statutory", "--stage", "3", "--received", "2027-03-25"],
            {"panel_by": "2027-05-11", "respond_by": "2027-06-09"},
        ),
        (
            ["--procedure", "statutory", "--stage", "1", "--received", "2027-12-23"],
            {"acknowledge_by": "2027-12-30", "respond_by": "2028-01-11"},
        ),
        (
            ["--procedure", "corporate", "--stage", "2", "--received", "2027-03-24"],
            {"acknowledge_by": "2027-04-02", "respond_by": "2027-04-30", "extended_respond_by": "2027-06-01"},
        ),
    ],
)
def test_timescales_cli_json(runner, args, expected):
    import json

    result = runner.invoke(args=["timescales", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: data[k] for k in expected} == expected
    assert {"received", "clock_start", "acknowledge_by", "respond_by", "extended_respond_by"} <= set(data)


def test_timescales_cli_text_and_bad_input(runner):
    result = runner.invoke(
        args=["timescales", "--procedure", "statutory", "--stage", "1", "--received", "2026-12-24"]
    )
    assert result.exit_code == 0
    assert "Respond by:                Tuesday 12 January 2027" in result.output
    assert (
        runner.invoke(
            args=["timescales", "--procedure", "statutory", "--stage", "1", "--received", "24/12/2026"]
        ).exit_code
        == 2
    )
    assert (
        runner.invoke(
            args=["timescales", "--procedure", "corporate", "--stage", "3", "--received", "2026-12-24"]
        ).exit_code
        == 2
    )
    assert (
        runner.invoke(
            args=["timescales", "--procedure", "nhs", "--stage", "1", "--received", "2026-12-24"]
        ).exit_code
        == 2
    )
