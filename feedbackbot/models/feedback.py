"""Feedback from young people and others: the record every channel creates first."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from feedbackbot.models.base import Base, one_of, utcnow


class Kind(StrEnum):
    """What the person is telling the Trust."""

    COMPLIMENT = "compliment"
    IDEA = "idea"
    CONCERN = "concern"
    COMPLAINT = "complaint"
    QUESTION = "question"


class Channel(StrEnum):
    """How it reached the Trust."""

    WEB_CHAT = "web_chat"
    API = "api"
    IN_PERSON = "in_person"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"


class Status(StrEnum):
    """Where it stands, in the words a young person sees when they come back."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Feedback(Base):
    """A compliment, idea, concern, complaint or question, with its public reference."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint(one_of(Kind, "kind"), name="kind"),
        CheckConstraint(one_of(Channel, "channel"), name="channel"),
        CheckConstraint(one_of(Status, "status"), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    anonymous: Mapped[bool] = mapped_column(default=True)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=Status.RECEIVED.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Feedback {self.reference} {self.kind}>"


class ReferenceSequence(Base):
    """Last reference number issued in a year, so references run VOS-2026-000001 upwards."""

    __tablename__ = "reference_sequence"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)
