"""The figures senior managers run the service on, computed from plain rows for one period.

Pure. The service loads rows (cases with their events, feedback, learning actions, alerts,
advocacy offers) and this module turns them into tables: each a title, column names and rows of
plain values, so the page, the CSV, the XLSX, the JSON and the terminal all show the same numbers.
A complaint's stages are derived with the same rules as the case page (core.complaints.derive),
from the events recorded up to the end of the period.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from statistics import mean
from typing import Any

from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.complaints import CaseView, derive
from feedbackbot.core.periods import Period
from feedbackbot.core.procedures import ProceduresConfig
from feedbackbot.core.report_feedback import (
    advocacy_table,
    feedback_tables,
    learning_tables,
    percent,
    safeguarding_table,
)
from feedbackbot.core.report_rows import (
    ActionRow,
    AdvocacyRow,
    AlertRow,
    CaseRow,
    FeedbackRow,
    ReportRows,
    Table,
)

__all__ = ["ActionRow", "AdvocacyRow", "AlertRow", "CaseRow", "FeedbackRow", "ReportRows", "Table", "compute"]

GROUPS = ("children", "adults")
OUTCOME_LABELS = {"upheld": "Upheld", "partly_upheld": "Partly upheld", "not_upheld": "Not upheld"}
MEDIATION_LABELS = {
    "resolved": "Resolved",
    "not_resolved": "Progressed to Stage 2",
    "in_progress": "In progress",
    "withdrawn": "Withdrawn",
}
KINDS = ("complaint", "concern", "idea", "compliment", "question")


@dataclass
class StageAnswer:
    """One stage answered in the period, as the figures need it."""

    procedure: str
    stage: int
    child: bool
    in_time: bool
    within_limit: bool
    working_days: int
    paused_days: int
    outcome: str | None
    findings: list[dict[str, str]]


def _avg(values: list[int]) -> float | None:
    return round(mean(values), 1) if values else None


class _RememberingCalendar(WorkingDayCalendar):
    """The same calendar, remembering each day's answer (a report asks about the same days often)."""

    def __init__(self, calendar: WorkingDayCalendar) -> None:
        self._holidays = calendar._holidays
        self.extra_closures = calendar.extra_closures
        self._known: dict[date, bool] = {}
        self._added: dict[tuple[date, int], date] = {}

    def is_working_day(self, day: date) -> bool:
        """The answer for `day`, worked out once."""
        known = self._known.get(day)
        if known is None:
            known = self._known[day] = super().is_working_day(day)
        return known

    def add_working_days(self, start: date, days: int) -> date:
        """The day `days` working days on, worked out once per (start, days)."""
        key = (start, days)
        found = self._added.get(key)
        if found is None:
            found = self._added[key] = super().add_working_days(start, days)
        return found


@dataclass
class Derived:
    """Each case derived once, from its events up to the end of the period."""

    case: CaseRow
    view: CaseView


def derive_cases(
    rows: Iterable[CaseRow], until: date, calendar: WorkingDayCalendar, config: ProceduresConfig
) -> list[Derived]:
    """Replay each case's events up to `until` (later events did not happen yet for this period)."""
    out = []
    for case in rows:
        events = [e for e in case.events if e.on <= until]
        if not events:
            continue
        view = derive(config.procedure(case.procedure), calendar, events, until, config)
        if view.stages:
            out.append(Derived(case, view))
    return out


def _answers(cases: list[Derived], period: Period, calendar: WorkingDayCalendar) -> list[StageAnswer]:
    out = []
    for item in cases:
        for stage in item.view.stages:
            if not period.contains(stage.responded_on):
                continue
            assert stage.responded_on is not None
            out.append(
                StageAnswer(
                    procedure=item.case.procedure,
                    stage=stage.number,
                    child=item.case.child,
                    in_time=stage.responded_on <= stage.due_by,
                    within_limit=stage.responded_on <= stage.respond_by,
                    working_days=calendar.working_days_between(stage.clock_start, stage.responded_on),
                    paused_days=stage.paused_working_days + stage.mediation_working_days,
                    outcome=stage.outcome,
                    findings=stage.findings,
                )
            )
    return out


def _stage_table(cases: list[Derived], answers: list[StageAnswer], period: Period) -> Table:
    received: Counter[tuple[str, int, bool]] = Counter()
    for item in cases:
        for stage in item.view.stages:
            if period.contains(stage.received):
                received[(item.case.procedure, stage.number, item.case.child)] += 1
    keys = sorted(
        set(received) | {(a.procedure, a.stage, a.child) for a in answers},
        key=lambda k: (k[0] != "statutory", k[0], k[1], not k[2]),
    )
    rows = []
    for procedure, number, child in keys:
        done = [a for a in answers if (a.procedure, a.stage, a.child) == (procedure, number, child)]
        rows.append(
            [
                procedure,
                number,
                "children" if child else "adults",
                received[(procedure, number, child)],
                len(done),
                sum(a.in_time for a in done),
                percent(sum(a.in_time for a in done), len(done)),
                percent(sum(a.within_limit for a in done), len(done)),
                _avg([a.working_days for a in done]),
                _avg([a.paused_days for a in done]),
            ]
        )
    return Table(
        "stages",
        "Complaints by stage and procedure, children and adults",
        [
            "Procedure",
            "Stage",
            "Who complained",
            "Received",
            "Answered",
            "Answered in time",
            "% in time",
            "% within the limit without extension",
            "Average working days to respond",
            "Average paused working days",
        ],
        rows,
    )


def _mediation_table(cases: list[Derived], period: Period) -> Table:
    counts: Counter[str] = Counter()
    requests = 0
    for item in cases:
        stage = item.view.stage(2)
        if stage is None or not period.contains(stage.received) or item.case.procedure != "statutory":
            continue
        requests += 1
        counts[stage.mediation_status or "none"] += 1
    rows = [["Stage 2 requests", requests], ["Mediation offered and started", requests - counts["none"]]]
    rows += [[label, counts[key]] for key, label in MEDIATION_LABELS.items()]
    rows.append(["Went to Stage 2 without mediation", counts["none"]])
    return Table("mediation", "Stage 2 requests and how mediation ended", ["Measure", "Number"], rows)


def _panel_table(cases: list[Derived], period: Period) -> Table:
    requested = met = reported = answered = 0
    for item in cases:
        stage = item.view.stage(3)
        if stage is None:
            continue
        requested += period.contains(stage.received)
        met += period.contains(stage.panel_met_on)
        reported += period.contains(stage.panel_reported_on)
        answered += period.contains(stage.responded_on)
    rows = [
        ["Stage 3 requests", requested],
        ["Review panels met", met],
        ["Panel reports", reported],
        ["Trust responses to panels", answered],
    ]
    return Table("panels", "Stage 3 review panels", ["Measure", "Number"], rows)


def _outcome_tables(answers: list[StageAnswer]) -> list[Table]:
    by_stage: dict[int, Counter[str]] = defaultdict(Counter)
    findings: dict[int, Counter[str]] = defaultdict(Counter)
    for answer in answers:
        by_stage[answer.stage][answer.outcome or "other"] += 1
        for finding in answer.findings:
            findings[answer.stage][finding.get("finding", "other")] += 1
    keys = [*OUTCOME_LABELS, "other"]
    outcomes = Table(
        "outcomes",
        "Outcomes of responses",
        ["Stage", *[OUTCOME_LABELS.get(k, "Other") for k in keys], "Total"],
        [[s, *[c[k] for k in keys], sum(c.values())] for s, c in sorted(by_stage.items())],
    )
    points = Table(
        "findings",
        "Findings on each point of the statement of complaint",
        ["Stage", *OUTCOME_LABELS.values(), "Points"],
        [[s, *[c[k] for k in OUTCOME_LABELS], sum(c.values())] for s, c in sorted(findings.items())],
    )
    return [outcomes, points]


def _count_table(
    key: str,
    title: str,
    first: str,
    rows: Iterable[FeedbackRow],
    field_of: Callable[[FeedbackRow], Iterable[str]],
    label: Callable[[str], str],
) -> Table:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        for value in field_of(row):
            counts[value][row.kind] += 1
    kinds = [k for k in KINDS if any(c[k] for c in counts.values())] or ["complaint"]
    ordered = sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return Table(
        key,
        title,
        [first, *[f"{k}s" for k in kinds], "Total"],
        [[label(name), *[c[k] for k in kinds], sum(c.values())] for name, c in ordered],
    )


def headline(
    cases: list[Derived], answers: list[StageAnswer], rows: ReportRows, period: Period
) -> dict[str, Any]:
    """The key figures of one period (the comparison table puts two of these side by side)."""
    received = [f for f in rows.feedback if period.contains(f.received_on)]
    kinds = Counter(f.kind for f in received)
    stage_received = Counter(
        s.number for item in cases for s in item.view.stages if period.contains(s.received)
    )
    return {
        "Complaints received (Stage 1)": stage_received[1],
        "Stage 2 requests": stage_received[2],
        "Stage 3 requests": stage_received[3],
        "Responses": len(answers),
        "% answered in time": percent(sum(a.in_time for a in answers), len(answers)),
        "% within the limit without extension": percent(sum(a.within_limit for a in answers), len(answers)),
        "Average working days to respond": _avg([a.working_days for a in answers]),
        "Compliments": sum(1 for f in received if f.kind == "compliment" and not f.safeguarding),
        "Ideas": kinds["idea"],
        "Informal concerns": kinds["concern"],
        "Learning actions added": sum(period.contains(a.added_on) for a in rows.actions),
        "Learning actions done": sum(period.contains(a.done_on) for a in rows.actions),
    }


def by_month(cases: list[Derived], feedback: list[FeedbackRow], period: Period) -> list[tuple[str, int, int]]:
    """Complaints (Stage 1) and other feedback received in each month of the period."""
    complaints: Counter[tuple[int, int]] = Counter()
    other: Counter[tuple[int, int]] = Counter()
    for item in cases:
        first = item.view.stage(1)
        if first and period.contains(first.received):
            complaints[(first.received.year, first.received.month)] += 1
    for f in feedback:
        if f.kind != "complaint" and period.contains(f.received_on):
            other[(f.received_on.year, f.received_on.month)] += 1
    return [(date(y, m, 1).strftime("%b %Y"), complaints[(y, m)], other[(y, m)]) for y, m in period.months()]


def compute(
    rows: ReportRows,
    period: Period,
    calendar: WorkingDayCalendar,
    config: ProceduresConfig,
    *,
    day_of: Callable[[datetime], date],
    topic_label: Callable[[str], str] = str,
    area_label: Callable[[str], str] = str,
    theme_label: Callable[[str], str] = str,
) -> dict[str, Any]:
    """Every table for the period, the key figures beside the year before, and the monthly series."""
    earlier = period.year_earlier()
    calendar = _RememberingCalendar(calendar)
    cases = derive_cases(rows.cases, period.end, calendar, config)
    earlier_cases = derive_cases(rows.cases, earlier.end, calendar, config)
    answers = _answers(cases, period, calendar)
    earlier_answers = _answers(earlier_cases, earlier, calendar)
    now = headline(cases, answers, rows, period)
    before = headline(earlier_cases, earlier_answers, rows, earlier)
    received = [f for f in rows.feedback if period.contains(f.received_on)]
    complaints = [f for f in received if f.kind == "complaint"]
    tables = [
        Table(
            "key_figures",
            "Key figures beside the same period a year earlier",
            ["Measure", period.label, earlier.label],
            [[name, value, before[name]] for name, value in now.items()],
        ),
        _stage_table(cases, answers, period),
        _mediation_table(cases, period),
        _panel_table(cases, period),
        *_outcome_tables(answers),
        _count_table(
            "topics",
            "Themes: what the chat's topic was",
            "Topic",
            received,
            lambda f: [f.topic or "not given"],
            topic_label,
        ),
        _count_table(
            "service_areas",
            "Themes: service area",
            "Service area",
            complaints + [f for f in received if f.kind == "concern"],
            lambda f: [f.service_area or "not given"],
            area_label,
        ),
        _count_table(
            "themes",
            "Themes found in the words of the feedback",
            "Theme",
            received,
            lambda f: f.themes or ("none found",),
            theme_label,
        ),
        *learning_tables(rows.actions, period),
        *feedback_tables(rows.feedback, period),
        advocacy_table(rows.advocacy, period),
        safeguarding_table(rows.alerts, period, day_of),
    ]
    months = by_month(cases, rows.feedback, period)
    months_before = by_month(earlier_cases, rows.feedback, earlier)
    tables.insert(
        1,
        Table(
            "by_month",
            "Received each month, beside the same month a year earlier",
            [
                "Month",
                "Complaints",
                "Other feedback",
                "Complaints a year earlier",
                "Other feedback a year earlier",
            ],
            [[m, c, o, cb, ob] for (m, c, o), (_, cb, ob) in zip(months, months_before, strict=False)],
        ),
    )
    return {
        "period": period,
        "earlier": earlier,
        "tables": tables,
        "by_month": by_month(cases, rows.feedback, period),
        "by_month_earlier": by_month(earlier_cases, rows.feedback, earlier),
    }
