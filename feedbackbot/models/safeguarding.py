"""Safeguarding alerts: a disclosure of harm, kept with its conversation until staff acknowledge it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedbackbot.models.base import Base, one_of, utcnow


class AlertStatus(StrEnum):
    """Open until a named member of staff acknowledges it."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"


class SafeguardingAlert(Base):
    """Who, what they wrote, in which conversation, the categories, and when."""

    __tablename__ = "safeguarding_alert"
    __table_args__ = (
        CheckConstraint(one_of(AlertStatus, "status"), name="status"),
        Index("ix_safeguarding_alert_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversation.id"), index=True)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("conversation_message.id"))
    text: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(20))
    who: Mapped[str] = mapped_column(String(200))
    urgent: Mapped[bool] = mapped_column(default=False)
    # How the message was read (layer, score, patterns): why staff were told.
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=AlertStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
    # Set when retention took the words out; the row stays so reports keep their counts.
    anonymised_at: Mapped[datetime | None] = mapped_column()

    @property
    def reference(self) -> str:
        """How staff refer to it in Slack and on the phone."""
        return f"SG-{self.id:05d}"


class CheckInAnswer(StrEnum):
    """What the young person said when the bot asked whether someone is hurting them."""

    YES = "yes"  # the alert is raised
    NO = "no"  # recorded; no alert
    UNCLEAR = "unclear"  # the alert is raised: we can't be sure they are safe
    HELP = "help"  # they pressed "Get help now", used the safe word or told us more


class SafeguardingCheckIn(Base):
    """The bot gently asked because a message might mean harm: what prompted it and the answer."""

    __tablename__ = "safeguarding_check_in"
    __table_args__ = (
        CheckConstraint(f"answer IS NULL OR {one_of(CheckInAnswer, 'answer')}", name="answer"),
        Index("ix_safeguarding_check_in_asked_at", "asked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str | None] = mapped_column(ForeignKey("conversation.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("conversation_message.id"))
    categories: Mapped[list[str]] = mapped_column(JSON)
    reading: Mapped[dict[str, Any]] = mapped_column(JSON)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None] = mapped_column()
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("safeguarding_alert.id"))
