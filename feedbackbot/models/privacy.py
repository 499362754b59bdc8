"""Who opened the words of a record holding a disclosure of harm, and when (visible to admins)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
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
