"""Reports for senior managers: the monthly report on themes and resolutions, and the weekly digest."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from statistics import mean
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import (
    ComplaintEvent,
    Feedback,
    LearningAction,
    LoopStatus,
    LoopTask,
    SafeguardingAlert,
)
from feedbackbot.services.complaints import case_view, open_cases
from feedbackbot.services.config import domain

OUTCOME_WORDS = {"upheld": "upheld", "partly_upheld": "partly upheld", "not_upheld": "not upheld"}


def _month_bounds(year: int, month: int) -> tuple[datetime, datetime, date, date]:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    first = date(year, month, 1)
    last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    start = datetime(first.year, first.month, 1, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(UTC)
    return start, end, first, last


def _mediation_in_progress(last: date) -> int:
    """Cases whose mediation had started and not ended by the last day of the month."""
    rows = db.session.execute(
        select(ComplaintEvent.complaint_id, ComplaintEvent.kind).where(
            ComplaintEvent.kind.in_(["mediation_started", "mediation_outcome"]),
            ComplaintEvent.occurred_on <= last,
        )
    ).all()
    started = {cid for cid, kind in rows if kind == "mediation_started"}
    ended = {cid for cid, kind in rows if kind == "mediation_outcome"}
    return len(started - ended)


def monthly_report(year: int, month: int) -> dict[str, Any]:
    """Themes and resolutions for a month: what the Trust measures (no child's words)."""
    start, end, first, last = _month_bounds(year, month)
    received = list(
        db.session.scalars(select(Feedback).where(Feedback.received_at >= start, Feedback.received_at < end))
    )
    events = list(
        db.session.scalars(
            select(ComplaintEvent).where(
                ComplaintEvent.occurred_on >= first, ComplaintEvent.occurred_on <= last
            )
        )
    )
    calendar = domain().calendar
    responses = []
    for event in events:
        if event.kind != "responded":
            continue
        view = case_view(event.complaint)
        stage = next(s for s in view.stages if s.number == event.stage)
        responses.append(
            {
                "stage": event.stage,
                "in_time": stage.answered_in_time,
                "working_days": calendar.working_days_between(stage.clock_start, event.occurred_on),
                "outcome": (event.data or {}).get("outcome"),
            }
        )
    mediation = Counter((e.data or {}).get("outcome") for e in events if e.kind == "mediation_outcome")
    loops_done = list(
        db.session.scalars(select(LoopTask).where(LoopTask.done_at >= start, LoopTask.done_at < end))
    )
    learning_added = db.session.scalars(
        select(LearningAction).where(LearningAction.created_at >= start, LearningAction.created_at < end)
    ).all()
    learning_done = db.session.scalars(
        select(LearningAction).where(LearningAction.done_at >= start, LearningAction.done_at < end)
    ).all()
    in_time = [r for r in responses if r["in_time"] is not None]
    return {
        "period": f"{first:%B %Y}",
        "feedback_by_kind": dict(Counter(f.kind for f in received)),
        "themes": dict(Counter(f.topic or "not given" for f in received).most_common()),
        "complaints_opened": sum(1 for e in events if e.kind == "received" and e.stage == 1),
        "stage_requests": {
            "stage 2": sum(1 for e in events if e.kind == "received" and e.stage == 2),
            "stage 3": sum(1 for e in events if e.kind == "received" and e.stage == 3),
        },
        "responses": len(responses),
        "answered_in_time_percent": round(100 * sum(r["in_time"] for r in in_time) / len(in_time))
        if in_time
        else None,
        "average_working_days_to_respond": round(mean(r["working_days"] for r in responses), 1)
        if responses
        else None,
        "outcomes": dict(Counter(OUTCOME_WORDS.get(r["outcome"], "other") for r in responses)),
        "mediation": {
            "resolved": mediation.get("resolved", 0),
            "not resolved": mediation.get("not_resolved", 0),
            "withdrawn": mediation.get("withdrawn", 0),
            "in progress": _mediation_in_progress(last),
        },
        "loop_closed": len(loops_done),
        "loop_closed_on_time": sum(1 for t in loops_done if t.done_at and t.done_at.date() <= t.due_on),
        "learning_actions": {"added": len(learning_added), "done": len(learning_done)},
        "compliments": sum(1 for f in received if f.kind == "compliment" and not f.safeguarding),
        "safeguarding_alerts": db.session.query(SafeguardingAlert)
        .filter(SafeguardingAlert.created_at >= start, SafeguardingAlert.created_at < end)
        .count(),
    }


def report_sections(report: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The report as headed lines (for Slack and the terminal)."""
    in_time = report["answered_in_time_percent"]
    return [
        ("Feedback received", [f"{k}: {v}" for k, v in sorted(report["feedback_by_kind"].items())]),
        ("Themes", [f"{k}: {v}" for k, v in report["themes"].items()]),
        (
            "Complaints",
            [
                f"opened: {report['complaints_opened']}",
                f"asked for stage 2: {report['stage_requests']['stage 2']}, stage 3: {report['stage_requests']['stage 3']}",
                f"answered: {report['responses']}"
                + (f", {in_time}% within timescale" if in_time is not None else ""),
                f"average working days to respond: {report['average_working_days_to_respond']}"
                if report["average_working_days_to_respond"] is not None
                else "average working days to respond: none answered",
                "outcomes: " + (", ".join(f"{k} {v}" for k, v in report["outcomes"].items()) or "none"),
                f"mediation: resolved {report['mediation']['resolved']}, not resolved {report['mediation']['not resolved']}, withdrawn {report['mediation']['withdrawn']}, in progress {report['mediation']['in progress']}",
            ],
        ),
        (
            "Closing the loop and learning",
            [
                f"young people told what happened: {report['loop_closed']} ({report['loop_closed_on_time']} on time)",
                f"learning actions added {report['learning_actions']['added']}, done {report['learning_actions']['done']}",
                f"compliments to celebrate: {report['compliments']}",
                f"safeguarding alerts raised: {report['safeguarding_alerts']}",
            ],
        ),
    ]


def weekly_summary(today: date) -> list[tuple[str, list[str]]]:
    """Open complaints by stage, overdue deadlines, outstanding learning and loop tasks."""
    cases = open_cases()
    by_stage = Counter(f"stage {view.current.number}" for _, view in cases)
    overdue = [
        f"{complaint.reference} {d.what} was due {d.due:%d %b}"
        for complaint, view in cases
        for d in view.open_deadlines()
        if d.due < today
    ]
    learning = db.session.scalars(select(LearningAction).where(LearningAction.done.is_(False))).all()
    loops = db.session.scalars(select(LoopTask).where(LoopTask.status == LoopStatus.OPEN.value)).all()
    return [
        ("Open complaints", [f"{stage}: {count}" for stage, count in sorted(by_stage.items())] or ["none"]),
        ("Overdue", overdue),
        (
            "Learning actions outstanding",
            [
                f"{a.complaint.reference}: {a.action[:60]} ({a.owner_name}, {a.due_on:%d %b})"
                for a in learning
            ],
        ),
        (
            "Young people waiting to hear back",
            [f"{t.feedback.reference} due {t.due_on:%d %b}" for t in loops],
        ),
    ]
