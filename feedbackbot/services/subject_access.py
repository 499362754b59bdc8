"""Subject access requests: log them with the one-calendar-month due date, find a person's records
and produce one bundle (JSON, and a readable page), and remind before the month is up.

Handled by information governance, not the complaints procedure; every export is audited by
reference (never with the words).
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select

from feedbackbot.extensions import db
from feedbackbot.models import (
    Complaint,
    Conversation,
    Feedback,
    LoopTask,
    SafeguardingAlert,
    SubjectAccessRequest,
)
from feedbackbot.models.base import storable_id
from feedbackbot.services import clock, outbox
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.errors import Conflict, Invalid, NotFound
from feedbackbot.services.letters import letters_for

REMIND_DAYS_BEFORE = 5
_REFERENCE = re.compile(r"^[A-Z]{2,5}-\d{4}-\d{1,8}$")


def one_calendar_month_after(day: date) -> date:
    """The ICO's rule: the same date next month, or that month's last day when there is no such date."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _clean_terms(names: list[str], contacts: list[str], references: list[str]) -> dict[str, list[str]]:
    terms = {
        "names": sorted({" ".join(n.split()) for n in names if n and n.strip()}),
        "contacts": sorted({c.strip() for c in contacts if c and c.strip()}),
        "references": sorted({r.strip().upper() for r in references if r and r.strip()}),
    }
    if not any(terms.values()):
        raise Invalid("give at least one name, contact detail or reference to search for")
    bad = [r for r in terms["references"] if not _REFERENCE.match(r)]
    if bad:
        raise Invalid(f"{', '.join(bad)} does not look like a reference (VOS-2026-000123)")
    if any(len(v) > 200 for values in terms.values() for v in values):
        raise Invalid("a search term is longer than 200 characters")
    return terms


def log_request(
    requester: str,
    received_on: date | None,
    *,
    names: tuple[str, ...] | list[str] = (),
    contacts: tuple[str, ...] | list[str] = (),
    references: tuple[str, ...] | list[str] = (),
    actor: Actor,
) -> SubjectAccessRequest:
    """Record a request; it is due one calendar month after it was received."""
    requester = " ".join((requester or "").split())
    if not requester:
        raise Invalid("say who made the request")
    if len(requester) > 200:
        raise Invalid("the requester's name is longer than 200 characters")
    today = clock.today()
    received_on = received_on or today
    if received_on > today:
        raise Invalid("the date received cannot be in the future")
    terms = _clean_terms(list(names), list(contacts), list(references))
    request = SubjectAccessRequest(
        requester=requester,
        terms=terms,
        received_on=received_on,
        due_on=one_calendar_month_after(received_on),
        logged_by_id=actor.staff_id,
    )
    db.session.add(request)
    db.session.flush()
    record_event(
        actor,
        "sar.logged",
        "subject_access_request",
        request.id,
        after={"due_on": request.due_on.isoformat()},
    )
    db.session.commit()
    return request


def get_request(request_id: int) -> SubjectAccessRequest:
    """One request by id, or NotFound."""
    request = db.session.get(SubjectAccessRequest, request_id) if storable_id(request_id) else None
    if request is None:
        raise NotFound(f"there is no subject access request {request_id}")
    return request


def all_requests() -> list[SubjectAccessRequest]:
    """Open requests first (soonest due first), then completed ones."""
    stmt = select(SubjectAccessRequest).order_by(
        SubjectAccessRequest.completed_on.is_not(None), SubjectAccessRequest.due_on, SubjectAccessRequest.id
    )
    return list(db.session.scalars(stmt))


def complete(request: SubjectAccessRequest, actor: Actor) -> SubjectAccessRequest:
    """Mark a request answered (the reminders stop)."""
    if request.completed_on is not None:
        raise Conflict(f"{request.reference} was completed on {request.completed_on:%d %B %Y}")
    request.completed_on = clock.today()
    record_event(
        actor,
        "sar.completed",
        "subject_access_request",
        request.id,
        after={"on": request.completed_on.isoformat()},
    )
    db.session.commit()
    return request


def find_records(terms: dict[str, list[str]]) -> list[Feedback]:
    """Feedback (and complaints) naming the person, by name, contact detail or reference."""
    names = [n.lower() for n in terms.get("names", [])]
    contacts = [re.sub(r"\s+", "", c).lower() for c in terms.get("contacts", [])]
    references = terms.get("references", [])
    conditions = []
    if references:
        conditions.append(Feedback.reference.in_(references))
    if names:
        conditions.append(func.lower(Feedback.name).in_(names))
        conditions.append(
            Feedback.id.in_(
                select(Complaint.feedback_id).where(
                    or_(
                        func.lower(Complaint.complainant_name).in_(names),
                        func.lower(Complaint.about_child).in_(names),
                    )
                )
            )
        )
    if contacts:
        conditions.append(func.lower(func.replace(Feedback.contact_value, " ", "")).in_(contacts))
    stmt = select(Feedback).where(or_(*conditions)).order_by(Feedback.received_at, Feedback.id)
    return list(db.session.scalars(stmt))


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def _record(feedback: Feedback) -> dict[str, Any]:
    complaint = db.session.scalars(select(Complaint).where(Complaint.feedback_id == feedback.id)).first()
    conversations = db.session.scalars(
        select(Conversation).where(Conversation.feedback_id == feedback.id)
    ).all()
    alerts = db.session.scalars(
        select(SafeguardingAlert).where(SafeguardingAlert.feedback_id == feedback.id)
    ).all()
    loops = db.session.scalars(select(LoopTask).where(LoopTask.feedback_id == feedback.id)).all()
    record: dict[str, Any] = {
        "reference": feedback.reference,
        "kind": feedback.kind,
        "received_at": _iso(feedback.received_at),
        "how": feedback.channel,
        "status": feedback.status,
        "topic": feedback.topic,
        "words": feedback.text,
        "topic_words": feedback.topic_text,
        "name": feedback.name,
        "contact": {"method": feedback.contact_method, "value": feedback.contact_value}
        if feedback.contact_value
        else None,
        "written_by": feedback.writer,
        "outcome": feedback.outcome,
        "anonymised_at": _iso(feedback.anonymised_at),
        "replies": [
            {"sent_at": _iso(r.sent_at), "method": r.method, "text": r.text} for r in feedback.replies
        ],
        "telling_you_what_happened": [
            {"due_on": _iso(t.due_on), "status": t.status, "message": t.message} for t in loops
        ],
        "chat": [
            {"at": _iso(m.created_at), "from": m.sender, "text": m.text}
            for c in conversations
            for m in c.messages
        ],
        "safeguarding_alerts": [
            {"reference": a.reference, "raised_at": _iso(a.created_at), "text": a.text, "status": a.status}
            for a in alerts
        ],
        "complaint": None,
    }
    if complaint is not None:
        record["complaint"] = {
            "procedure": complaint.procedure,
            "complainant": complaint.complainant_name,
            "about": complaint.about_child,
            "status": complaint.status,
            "steps": [
                {
                    "stage": e.stage,
                    "step": e.kind.replace("_", " "),
                    "on": _iso(e.occurred_on),
                    "details": {k: v for k, v in (e.data or {}).items() if k not in {"lead_id", "text"}},
                }
                for e in complaint.events
                if e.kind != "letter"
            ],
            "letters": [
                {"title": x.title, "stage": x.stage, "sent_on": _iso(x.sent_on), "text": x.text}
                for x in letters_for(complaint)
            ],
        }
    return record


def bundle(request: SubjectAccessRequest, actor: Actor) -> dict[str, Any]:
    """Everything held about the person, as one JSON-able bundle; the export is audited."""
    records = find_records(request.terms)
    record_event(
        actor,
        "sar.exported",
        "subject_access_request",
        request.id,
        after={"references": [f.reference for f in records]},
    )
    db.session.commit()
    return {
        "request": {
            "reference": request.reference,
            "requester": request.requester,
            "received_on": _iso(request.received_on),
            "due_on": _iso(request.due_on),
            "searched_for": request.terms,
        },
        "produced_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "organisation": "Sandwell Children's Trust",
        "records": [_record(f) for f in records],
    }


def queue_reminders() -> int:
    """Remind the complaints channel of open requests due within a few days or overdue (once each)."""
    today = clock.today()
    channel = current_app.config.get("SLACK_COMPLAINTS_CHANNEL")
    if not channel:
        return 0
    queued = 0
    rows = db.session.scalars(
        select(SubjectAccessRequest).where(
            SubjectAccessRequest.completed_on.is_(None),
            SubjectAccessRequest.due_on <= today + timedelta(days=REMIND_DAYS_BEFORE),
        )
    )
    for request in rows:
        overdue = request.due_on < today
        when = "overdue" if overdue else "due-soon"
        text = (
            f"Subject access request {request.reference} "
            + (
                f"was due on {request.due_on:%d %B %Y} and is not answered"
                if overdue
                else f"is due on {request.due_on:%d %B %Y}"
            )
            + f". {current_app.config.get('BASE_URL', '').rstrip('/')}/staff/sar/{request.id}"
        )
        row = outbox.enqueue(
            f"sar:{request.id}:{when}",
            "reminder_sar",
            channel,
            {"text": text},
            related=("subject_access_request", request.id),
        )
        queued += row is not None
    db.session.commit()
    return queued
