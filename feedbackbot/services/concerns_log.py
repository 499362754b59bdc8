"""The informal concerns log promised to Ofsted: filtered by date, theme and status, and exported."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from feedbackbot.core.calendar import local_date
from feedbackbot.extensions import db
from feedbackbot.models import Feedback
from feedbackbot.services.errors import Invalid
from feedbackbot.services.report_data import theme_finder

STATUSES = ("all", "open", "resolved")


@dataclass(frozen=True)
class ConcernRow:
    """One informal concern as the log shows it (its words stay on its own page)."""

    reference: str
    received_on: date
    topic: str | None
    themes: tuple[str, ...]
    status: str
    resolution: str | None
    resolved_on: date | None
    safeguarding: bool


def concerns_log(
    start: date | None = None, end: date | None = None, theme: str | None = None, status: str = "all"
) -> list[ConcernRow]:
    """Concerns received between two dates, newest first, by theme found in the words and status."""
    if status not in STATUSES:
        raise Invalid(f"the status must be one of {', '.join(STATUSES)}")
    if start and end and end < start:
        raise Invalid("the end date is before the start date")
    finder = theme_finder()
    if theme and theme not in {t.key for t in finder.themes}:
        raise Invalid("choose a theme from the list")
    zone = current_app.config["TIMEZONE"]
    out = []
    for f in db.session.scalars(
        select(Feedback).where(Feedback.kind == "concern").order_by(Feedback.received_at.desc())
    ):
        received = local_date(f.received_at, zone)
        if (start and received < start) or (end and received > end):
            continue
        themes = () if f.safeguarding else finder.find(f.text or "")
        resolved = f.outcome_at is not None
        if (
            (theme and theme not in themes)
            or (status == "open" and resolved)
            or (status == "resolved" and not resolved)
        ):
            continue
        out.append(
            ConcernRow(
                f.reference,
                received,
                f.topic_text or f.topic,
                themes,
                "resolved" if resolved else "open",
                f.outcome,
                local_date(f.outcome_at, zone) if f.outcome_at else None,
                f.safeguarding,
            )
        )
    return out


def concerns_csv(rows: list[ConcernRow], label: dict[str, str]) -> str:
    """The log as CSV, a header line first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Reference", "Received", "About", "Themes", "Status", "Resolution", "Resolved on"])
    for r in rows:
        writer.writerow(
            [
                r.reference,
                r.received_on.isoformat(),
                r.topic or "",
                "; ".join(label.get(t, t) for t in r.themes),
                r.status,
                r.resolution or "",
                r.resolved_on.isoformat() if r.resolved_on else "",
            ]
        )
    return out.getvalue()
