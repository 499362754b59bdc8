"""The durable outbox: every notification is a row first, sent after, retried, never sent twice."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedbackbot.models.base import Base, one_of, utcnow


class OutboxStatus(StrEnum):
    """Pending until delivered; cancelled when it no longer needs sending (alert acknowledged)."""

    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"


class OutboxMessage(Base):
    """A message to send to Slack. `key` is unique: the same notification can never be queued twice."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(one_of(OutboxStatus, "status"), name="status"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_related", "related_type", "related_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    related_type: Mapped[str | None] = mapped_column(String(40))
    related_id: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=OutboxStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column()
    # Set when a send starts; a send that started but never finished is "in doubt" and is
    # checked against Slack before it is tried again, so a crash cannot cause a duplicate.
    sending_since: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
    slack_channel: Mapped[str | None] = mapped_column(String(100))
    slack_ts: Mapped[str | None] = mapped_column(String(40))
