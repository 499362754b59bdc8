"""Safeguarding alerts: a disclosure of harm, kept with its conversation until staff acknowledge it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

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
    status: Mapped[str] = mapped_column(String(20), default=AlertStatus.OPEN.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))

    @property
    def reference(self) -> str:
        """How staff refer to it in Slack and on the phone."""
        return f"SG-{self.id:05d}"
