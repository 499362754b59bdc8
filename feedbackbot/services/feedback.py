"""Feedback records: the first thing stored for every compliment, idea, concern, complaint or question."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from feedbackbot.extensions import db
from feedbackbot.models import Channel, Feedback, Kind, ReferenceSequence, Status, utcnow
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.errors import Invalid, NotFound

REFERENCE_PREFIX = "VOS"
MAX_TEXT_LENGTH = 10_000


def format_reference(year: int, number: int) -> str:
    """Write a reference the way people read it out on the phone: VOS-2026-000123."""
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


def next_reference(year: int) -> str:
    """Issue the next reference for a year; the row lock keeps two web processes from sharing one."""
    bump = (
        update(ReferenceSequence)
        .where(ReferenceSequence.year == year)
        .values(last_value=ReferenceSequence.last_value + 1)
        .returning(ReferenceSequence.last_value)
    )
    number = db.session.execute(bump).scalar_one_or_none()
    if number is None:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(ReferenceSequence).values(year=year, last_value=1))
            number = 1
        except IntegrityError:
            # Another process created the year's row first; take the next number from it.
            number = db.session.execute(bump).scalar_one()
    return format_reference(year, number)


def local_year(moment: datetime) -> int:
    """Give the year in the Trust's time zone, so a New Year's Eve message gets that year's number."""
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).year


def record_feedback(
    *,
    kind: str,
    text: str,
    channel: str,
    anonymous: bool = True,
    received_at: datetime | None = None,
    actor: Actor | None = None,
    commit: bool = True,
) -> Feedback:
    """Store feedback with a fresh reference and an audit event, committed before anyone sees it."""
    if kind not in {k.value for k in Kind}:
        raise Invalid(f"kind must be one of {', '.join(k.value for k in Kind)}")
    if channel not in {c.value for c in Channel}:
        raise Invalid(f"channel must be one of {', '.join(c.value for c in Channel)}")
    text = (text or "").strip()
    if not text:
        raise Invalid("the feedback text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise Invalid(f"the feedback text is longer than {MAX_TEXT_LENGTH} characters")
    received_at = received_at or utcnow()
    feedback = Feedback(
        reference=next_reference(local_year(received_at)),
        kind=kind,
        channel=channel,
        anonymous=anonymous,
        text=text,
        received_at=received_at,
        status=Status.RECEIVED.value,
    )
    db.session.add(feedback)
    db.session.flush()
    record_event(
        actor or Actor.public(channel),
        "feedback.received",
        "feedback",
        feedback.reference,
        after={"kind": kind, "channel": channel, "anonymous": anonymous},
    )
    if commit:
        db.session.commit()
    return feedback


def get_feedback(reference: str) -> Feedback:
    """Find feedback by its reference, case-insensitively as people type it."""
    found = db.session.scalars(
        select(Feedback).where(Feedback.reference == reference.strip().upper())
    ).first()
    if found is None:
        raise NotFound(f"no feedback with reference {reference}")
    return found
