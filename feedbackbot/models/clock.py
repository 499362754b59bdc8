"""The clock's heartbeat, so the web app can tell when the clock has stopped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from feedbackbot.models.base import Base, utcnow


class ClockHeartbeat(Base):
    """One row per clock process name: when it last ran and what it did."""

    __tablename__ = "clock_heartbeat"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column()
    last_job: Mapped[str | None] = mapped_column(String(60))
