"""The access log: who opened the words of a record holding a disclosure of harm, and when."""

from __future__ import annotations

from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import Feedback, RecordAccess, SafeguardingAlert, StaffUser
from feedbackbot.services.complaints import can_read_text


def _record(staff: StaffUser, record_type: str, record_id: object, reference: str, channel: str) -> None:
    db.session.add(
        RecordAccess(
            staff_id=staff.id,
            record_type=record_type,
            record_id=str(record_id),
            reference=reference,
            channel=channel,
        )
    )
    db.session.commit()


def feedback_opened(staff: StaffUser, feedback: Feedback, channel: str) -> None:
    """Log an opening when the feedback holds a disclosure and this member of staff saw its words."""
    if feedback.safeguarding and can_read_text(staff, feedback) and feedback.anonymised_at is None:
        _record(staff, "feedback", feedback.reference, feedback.reference, channel)


def alert_opened(staff: StaffUser, alert: SafeguardingAlert, channel: str) -> None:
    """Log an opening of a safeguarding alert (it always holds a disclosure's words)."""
    if alert.anonymised_at is None:
        _record(staff, "safeguarding_alert", alert.id, alert.reference, channel)


def recent_openings(limit: int = 500) -> list[RecordAccess]:
    """The latest openings, newest first, for the admins' page."""
    stmt = select(RecordAccess).order_by(RecordAccess.opened_at.desc(), RecordAccess.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def openings_of(reference: str) -> list[RecordAccess]:
    """Every opening of one record, oldest first."""
    stmt = select(RecordAccess).where(RecordAccess.reference == reference).order_by(RecordAccess.id)
    return list(db.session.scalars(stmt))
