"""Complaint cases, their event log, learning actions, and closing-the-loop tasks."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackbot.models.base import Base, one_of, utcnow
from feedbackbot.models.feedback import Feedback
from feedbackbot.models.staff import StaffUser


class Procedure(StrEnum):
    """Which complaints procedure a case follows."""

    STATUTORY = "statutory"
    CORPORATE = "corporate"


class Relationship(StrEnum):
    """Who complains, in relation to the child."""

    SELF = "self"
    PARENT = "parent"
    CARER = "carer"
    FOSTER_CARER = "foster_carer"
    ADVOCATE = "advocate"
    OTHER = "other"


class CaseStatus(StrEnum):
    """Open or closed."""

    OPEN = "open"
    CLOSED = "closed"


class Complaint(Base):
    """A complaint case; its stages and deadlines are derived from its events every time."""

    __tablename__ = "complaint"
    __table_args__ = (
        CheckConstraint(one_of(Procedure, "procedure"), name="procedure"),
        CheckConstraint(one_of(Relationship, "complainant_relationship"), name="relationship"),
        CheckConstraint(one_of(CaseStatus, "status"), name="status"),
        Index("ix_complaint_next_deadline", "status", "next_deadline_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), unique=True)
    # An index for the clock, not the truth: the soonest open deadline as last derived, so a
    # reminder sweep reads only the cases near a deadline. Refreshed on every change and daily.
    next_deadline_on: Mapped[date | None] = mapped_column()
    procedure: Mapped[str] = mapped_column(String(20))
    complainant_name: Mapped[str | None] = mapped_column(String(200))
    complainant_relationship: Mapped[str] = mapped_column(String(20))
    about_child: Mapped[str | None] = mapped_column(String(200))
    lead_manager_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.OPEN.value)
    events_date: Mapped[date | None] = mapped_column()
    late_reason: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)

    feedback: Mapped[Feedback] = relationship()
    lead_manager: Mapped[StaffUser | None] = relationship()
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan"
    )
    learning_actions: Mapped[list[LearningAction]] = relationship(
        back_populates="complaint", order_by="LearningAction.id", cascade="all, delete-orphan"
    )

    @property
    def reference(self) -> str:
        """A complaint is known by its feedback's reference."""
        return self.feedback.reference


class ComplaintEvent(Base):
    """A dated step in a case (received, acknowledged, extended, paused, responded...)."""

    __tablename__ = "complaint_event"
    __table_args__ = (Index("ix_complaint_event_complaint", "complaint_id", "occurred_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"))
    stage: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(40))
    occurred_on: Mapped[date] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[StaffUser | None] = relationship()


class LearningAction(Base):
    """Something the Trust will change because of a complaint, tracked to completion."""

    __tablename__ = "learning_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    owner_name: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column()
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None] = mapped_column()
    evidence: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="learning_actions")
    owner: Mapped[StaffUser | None] = relationship()


class LoopStatus(StrEnum):
    """A closing-the-loop task is open until the young person has been told."""

    OPEN = "open"
    DONE = "done"


class LoopTask(Base):
    """Go back to the young person and tell them what happened because of what they said."""

    __tablename__ = "loop_task"
    __table_args__ = (
        CheckConstraint(one_of(LoopStatus, "status"), name="status"),
        Index("ix_loop_task_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column()
    status: Mapped[str] = mapped_column(String(20), default=LoopStatus.OPEN.value)
    outcome: Mapped[str] = mapped_column(Text)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column()
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    message: Mapped[str | None] = mapped_column(Text)
    method: Mapped[str | None] = mapped_column(String(20))

    feedback: Mapped[Feedback] = relationship()


class ApiToken(Base):
    """A staff member's token for the JSON API; only its hash is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    staff: Mapped[StaffUser] = relationship()
