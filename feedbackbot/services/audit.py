"""Audit trail writing: every service change goes through `record_event` in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import AuditEvent, StaffUser


@dataclass(frozen=True)
class Actor:
    """Who is acting: a member of staff, a young person through a channel, or the system."""

    label: str
    staff_id: int | None = None

    @classmethod
    def staff(cls, user: StaffUser) -> Actor:
        """Name a member of staff so the audit trail says who, not just which account id."""
        return cls(label=f"{user.name} <{user.email}>", staff_id=user.id)

    @classmethod
    def system(cls, what: str) -> Actor:
        """Name an automatic process (clock, outbox, CLI) as the actor."""
        return cls(label=f"system:{what}")

    @classmethod
    def public(cls, channel: str) -> Actor:
        """Name the person who wrote in (never their identity: that may be anonymous)."""
        return cls(label=f"public:{channel}")


def record_event(
    actor: Actor,
    action: str,
    record_type: str,
    record_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction, so it commits or rolls back with the change."""
    event = AuditEvent(
        actor=actor.label,
        actor_id=actor.staff_id,
        action=action,
        record_type=record_type,
        record_id=str(record_id),
        before=before,
        after=after,
    )
    db.session.add(event)
    return event


def events_for(record_type: str, record_id: object) -> list[AuditEvent]:
    """Give a record's audit trail, oldest first, for timelines and tests."""
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.record_type == record_type, AuditEvent.record_id == str(record_id))
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    return list(db.session.scalars(stmt))
