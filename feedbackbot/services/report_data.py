"""The report for any period: load the rows once, compute the tables in core.report_figures.

A read-only service: the staff page, the staff API, the CLI and the monthly Slack post all call
`period_report`, so every channel shows the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_, select

from feedbackbot.core.calendar import local_date
from feedbackbot.core.complaints import Event
from feedbackbot.core.periods import Period, financial_year
from feedbackbot.core.report_annual import children_themes_table, summary_lines
from feedbackbot.core.report_figures import (
    ActionRow,
    AdvocacyRow,
    AlertRow,
    CaseRow,
    FeedbackRow,
    ReportRows,
    compute,
)
from feedbackbot.core.themes import ThemeFinder, bundled_themes
from feedbackbot.extensions import db
from feedbackbot.models import (
    AdvocacyReferral,
    Complaint,
    ComplaintEvent,
    Feedback,
    LearningAction,
    SafeguardingAlert,
)
from feedbackbot.models.staff import StaffUser
from feedbackbot.services.categories import area_label
from feedbackbot.services.complaints import require
from feedbackbot.services.config import bundled, domain


def theme_finder() -> ThemeFinder:
    """The shipped theme vocabulary (or THEMES_FILE), loaded once."""
    return bundled_themes(str(current_app.config.get("THEMES_FILE") or bundled("themes.yaml")))


def utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC moments a range of London dates starts and ends (end exclusive)."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    low = datetime.combine(start, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(UTC)
    return low, high


def load_rows(start: date, end: date) -> ReportRows:
    """Everything that happened between two dates (and the cases' earlier events), in a few queries."""
    zone = current_app.config["TIMEZONE"]
    low, high = utc_bounds(start, end)
    finder = theme_finder()
    touched = (
        select(ComplaintEvent.complaint_id)
        .where(ComplaintEvent.occurred_on >= start, ComplaintEvent.occurred_on <= end)
        .distinct()
    )
    events: dict[int, list[Event]] = defaultdict(list)
    for cid, kind, stage, on, data in db.session.execute(
        select(
            ComplaintEvent.complaint_id,
            ComplaintEvent.kind,
            ComplaintEvent.stage,
            ComplaintEvent.occurred_on,
            ComplaintEvent.data,
        )
        .where(ComplaintEvent.complaint_id.in_(touched), ComplaintEvent.occurred_on <= end)
        .order_by(ComplaintEvent.id)
    ):
        events[cid].append(Event(kind, stage, on, data or {}))
    cases = [
        CaseRow(
            reference,
            procedure,
            relationship == "self",
            topic,
            area,
            tuple(events[cid]),
            () if safeguarding else finder.find(text or ""),
        )
        for cid, reference, procedure, relationship, topic, area, text, safeguarding in db.session.execute(
            select(
                Complaint.id,
                Feedback.reference,
                Complaint.procedure,
                Complaint.complainant_relationship,
                Feedback.topic,
                Feedback.service_area,
                Feedback.text,
                Feedback.safeguarding,
            )
            .join(Feedback, Complaint.feedback_id == Feedback.id)
            .where(Complaint.id.in_(touched))
        )
    ]
    feedback = []
    for row in db.session.execute(
        select(
            Feedback.reference,
            Feedback.kind,
            Feedback.received_at,
            Feedback.topic,
            Feedback.service_area,
            Feedback.text,
            Feedback.outcome,
            Feedback.outcome_at,
            Feedback.safeguarding,
            Feedback.thanked,
        ).where(
            or_(
                (Feedback.received_at >= low) & (Feedback.received_at < high),
                (Feedback.outcome_at >= low) & (Feedback.outcome_at < high),
            )
        )
    ):
        feedback.append(
            FeedbackRow(
                reference=row.reference,
                kind=row.kind,
                received_on=local_date(row.received_at, zone),
                topic=row.topic,
                service_area=row.service_area,
                # A disclosure's words are not read for themes: it is a safeguarding matter.
                themes=() if row.safeguarding else finder.find(row.text or ""),
                outcome=row.outcome,
                outcome_on=local_date(row.outcome_at, zone) if row.outcome_at else None,
                safeguarding=row.safeguarding,
                thanked=row.thanked,
            )
        )
    actions = [
        ActionRow(
            owner,
            due_on,
            local_date(created, zone),
            local_date(done_at, zone) if done_at else None,
        )
        for owner, due_on, created, done_at in db.session.execute(
            select(
                LearningAction.owner_name,
                LearningAction.due_on,
                LearningAction.created_at,
                LearningAction.done_at,
            ).where(LearningAction.created_at < high)
        )
    ]
    alerts = [
        AlertRow(created, acked)
        for created, acked in db.session.execute(
            select(SafeguardingAlert.created_at, SafeguardingAlert.acknowledged_at).where(
                SafeguardingAlert.created_at >= low, SafeguardingAlert.created_at < high
            )
        )
    ]
    advocacy = [
        AdvocacyRow(offered, answer)
        for offered, answer in db.session.execute(
            select(AdvocacyReferral.offered_on, AdvocacyReferral.answer).where(
                AdvocacyReferral.offered_on >= start, AdvocacyReferral.offered_on <= end
            )
        )
    ]
    return ReportRows(cases, feedback, actions, alerts, advocacy)


def period_report(period: Period, rows: ReportRows | None = None) -> dict[str, Any]:
    """Every table for the period, beside the same period a year earlier."""
    zone = current_app.config["TIMEZONE"]
    rows = rows or load_rows(period.year_earlier().start, period.end)
    finder = theme_finder()
    texts = domain().chat_texts
    return compute(
        rows,
        period,
        domain().calendar,
        domain().procedures,
        day_of=lambda moment: local_date(moment, zone),
        topic_label=lambda t: t if t == "not given" else texts.topic_label(t),
        area_label=lambda a: a if a == "not given" else (area_label(a) or a),
        theme_label=lambda t: t if t == "none found" else finder.label(t),
    )


REPORT_ROLES = frozenset({"manager", "complaints", "admin"})


def annual_report(year: int) -> dict[str, Any]:
    """The statutory annual report for the financial year starting in April of `year`."""
    period = financial_year(year)
    rows = load_rows(period.year_earlier().start, period.end)
    report = period_report(period, rows)
    finder = theme_finder()
    report["tables"].append(
        children_themes_table(rows, report, domain().calendar, domain().procedures, finder.label)
    )
    report["summary"] = summary_lines(report)
    return report


def report_for(staff: StaffUser, period: Period) -> dict[str, Any]:
    """The report, for the roles that run the service on it."""
    require(staff, REPORT_ROLES, "see the reports")
    return period_report(period)


def annual_for(staff: StaffUser, year: int) -> dict[str, Any]:
    """The annual report, for the roles that see reports."""
    require(staff, REPORT_ROLES, "see the reports")
    return annual_report(year)
