"""Privacy records: who opened a disclosure's words (the access log), and subject access requests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackbot.models.base import Base, utcnow
from feedbackbot.models.staff import StaffUser


class RecordAccess(Base):
    """One opening of a disclosure's words by a member of staff, on a page or through the API."""

    __tablename__ = "record_access"
    __table_args__ = (
        Index("ix_record_access_record", "record_type", "record_id"),
        Index("ix_record_access_opened_at", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[StaffUser] = relationship()


class SubjectAccessRequest(Base):
    """A request to see one's own records: who asked, what to search for, and the one-month due date."""

    __tablename__ = "subject_access_request"
    __table_args__ = (Index("ix_subject_access_request_open", "completed_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    requester: Mapped[str] = mapped_column(String(200))
    # The names, contact details and references to search for.
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_on: Mapped[date] = mapped_column()
    due_on: Mapped[date] = mapped_column()
    completed_on: Mapped[date | None] = mapped_column()
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def reference(self) -> str:
        """How information governance refers to it."""
        return f"SAR-{self.id:05d}"
