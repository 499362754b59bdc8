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
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import mean
from typing import Any

from feedbackbot.core.calendar import WorkingDayCalendar
from feedbackbot.core.complaints import CaseView, Event, derive
from feedbackbot.core.periods import Period
from feedbackbot.core.procedures import ProceduresConfig

GROUPS = ("children", "adults")
OUTCOME_LABELS = {"upheld": "Upheld", "partly_upheld": "Partly upheld", "not_upheld": "Not upheld"}
MEDIATION_LABELS = {
    "resolved": "Resolved",
    "not_resolved": "Progressed to Stage 2",
    "in_progress": "In progress",
    "withdrawn": "Withdrawn",
}
KINDS = ("complaint", "concern", "idea", "compliment", "question")


@dataclass(frozen=True)
class CaseRow:
    """A complaint case: who complained, its categories and its dated events."""

    reference: str
    procedure: str
    child: bool
    topic: str | None
    service_area: str | None
    events: tuple[Event, ...]


@dataclass(frozen=True)
class FeedbackRow:
    """One piece of feedback, as far as the reports need it (its words only for themes)."""

    reference: str
    kind: str
    received_on: date
    topic: str | None
    service_area: str | None
    themes: tuple[str, ...]
    outcome: str | None
    outcome_on: date | None
    safeguarding: bool
    thanked: str | None = None


@dataclass(frozen=True)
class ActionRow:
    """A learning action: who owns it, when it is due, and when it was added and done."""

    owner: str
    due_on: date
    added_on: date
    done_on: date | None


@dataclass(frozen=True)
class AlertRow:
    """A safeguarding alert and when a person acknowledged it."""

    created_at: datetime
    acknowledged_at: datetime | None


@dataclass(frozen=True)
class AdvocacyRow:
    """An advocate offered to a child who complained, and the answer."""

    offered_on: date
    answer: str | None


@dataclass
class ReportRows:
    """Everything loaded for a report (both periods are computed from the same rows)."""

    cases: list[CaseRow] = field(default_factory=list)
    feedback: list[FeedbackRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    alerts: list[AlertRow] = field(default_factory=list)
    advocacy: list[AdvocacyRow] = field(default_factory=list)


@dataclass
class Table:
    """A titled table of plain values: one on the page, one CSV, one XLSX sheet."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]

    def as_dict(self) -> dict[str, Any]:
        """The table for JSON."""
        return {"key": self.key, "title": self.title, "columns": self.columns, "rows": self.rows}


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


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage, or None when there is nothing to divide."""
    return round(100 * part / whole) if whole else None


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


def _learning_tables(actions: list[ActionRow], period: Period) -> list[Table]:
    def overdue(a: ActionRow) -> bool:
        return (
            a.added_on <= period.end
            and a.due_on < period.end
            and (a.done_on is None or a.done_on > period.end)
        )

    def open_at_end(a: ActionRow) -> bool:
        return a.added_on <= period.end and (a.done_on is None or a.done_on > period.end)

    summary = Table(
        "learning",
        "Learning actions",
        ["Measure", "Number"],
        [
            ["Added", sum(period.contains(a.added_on) for a in actions)],
            ["Done", sum(period.contains(a.done_on) for a in actions)],
            ["Open at the end of the period", sum(open_at_end(a) for a in actions)],
            ["Overdue at the end of the period", sum(overdue(a) for a in actions)],
        ],
    )
    owners = sorted({a.owner for a in actions if a.added_on <= period.end})
    rows = []
    for owner in owners:
        mine = [a for a in actions if a.owner == owner]
        row = [
            owner,
            sum(period.contains(a.added_on) for a in mine),
            sum(period.contains(a.done_on) for a in mine),
            sum(open_at_end(a) for a in mine),
            sum(overdue(a) for a in mine),
        ]
        if any(row[1:]):
            rows.append(row)
    by_owner = Table(
        "learning_owners", "Learning actions by owner", ["Owner", "Added", "Done", "Open", "Overdue"], rows
    )
    return [summary, by_owner]


def _feedback_tables(feedback: list[FeedbackRow], period: Period) -> list[Table]:
    received = [f for f in feedback if period.contains(f.received_on)]
    compliments = [f for f in received if f.kind == "compliment" and not f.safeguarding]
    named = Counter(f.thanked.strip() for f in compliments if f.thanked and f.thanked.strip())
    ideas = [f for f in received if f.kind == "idea"]
    concerns = [f for f in received if f.kind == "concern"]
    resolved = [f for f in feedback if f.kind == "concern" and period.contains(f.outcome_on)]
    return [
        Table(
            "compliments",
            "Compliments and the staff named",
            ["Staff member named", "Compliments"],
            [
                ["All compliments", len(compliments)],
                *[[name, n] for name, n in sorted(named.items(), key=lambda i: (-i[1], i[0]))],
            ],
        ),
        Table(
            "ideas",
            "Ideas and what came of them",
            ["Reference", "Received", "What came of it"],
            [
                [f.reference, f.received_on.isoformat(), f.outcome or "not yet decided"]
                for f in sorted(ideas, key=lambda f: f.received_on)
            ],
        ),
        Table(
            "concerns",
            "Informal concerns",
            ["Measure", "Number"],
            [
                ["Received", len(concerns)],
                ["Resolved in the period", len(resolved)],
                [
                    "Received in the period and still open at its end",
                    sum(1 for f in concerns if not (f.outcome_on and f.outcome_on <= period.end)),
                ],
            ],
        ),
    ]


def _advocacy_table(offers: list[AdvocacyRow], period: Period) -> Table:
    offered = [o for o in offers if period.contains(o.offered_on)]
    answers = Counter(o.answer or "no answer yet" for o in offered)
    accepted = answers["accepted"]
    return Table(
        "advocacy",
        "Advocacy offered to children who complained",
        ["Measure", "Number"],
        [
            ["Offered", len(offered)],
            ["Accepted", accepted],
            ["Declined", answers["declined"]],
            ["Already had an advocate", answers["already_has"]],
            ["No answer yet", answers["no answer yet"]],
            ["% taking up the offer", percent(accepted, len(offered))],
        ],
    )


def _safeguarding_table(alerts: list[AlertRow], period: Period, day_of: Callable[[datetime], date]) -> Table:
    raised = [a for a in alerts if period.contains(day_of(a.created_at))]
    minutes = [
        (a.acknowledged_at - a.created_at).total_seconds() / 60
        for a in raised
        if a.acknowledged_at is not None
    ]
    return Table(
        "safeguarding",
        "Safeguarding alerts and time to acknowledge",
        ["Measure", "Number"],
        [
            ["Alerts raised", len(raised)],
            ["Acknowledged", len(minutes)],
            ["Average minutes to acknowledge", round(mean(minutes), 1) if minutes else None],
            ["Longest minutes to acknowledge", round(max(minutes), 1) if minutes else None],
        ],
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
        *_learning_tables(rows.actions, period),
        *_feedback_tables(rows.feedback, period),
        _advocacy_table(rows.advocacy, period),
        _safeguarding_table(rows.alerts, period, day_of),
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
