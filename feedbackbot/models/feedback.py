"""Feedback from young people and others: the record every channel creates first."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class ContactMethod(StrEnum):
    """How the person asked to be answered."""

    PHONE = "phone"
    EMAIL = "email"
    WORKER = "worker"


class Feedback(Base):
    """A compliment, idea, concern, complaint or question, with its public reference."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint(one_of(Kind, "kind"), name="kind"),
        CheckConstraint(one_of(Channel, "channel"), name="channel"),
        CheckConstraint(one_of(Status, "status"), name="status"),
        CheckConstraint(
            f"contact_method IS NULL OR {one_of(ContactMethod, 'contact_method')}", name="contact_method"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    anonymous: Mapped[bool] = mapped_column(default=True)
    text: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=Status.RECEIVED.value)
    topic: Mapped[str | None] = mapped_column(String(20))
    topic_text: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(100))
    contact_method: Mapped[str | None] = mapped_column(String(10))
    contact_value: Mapped[str | None] = mapped_column(String(200))
    advocate_requested: Mapped[bool | None] = mapped_column()
    # Who wrote it, when not the young person (parent, carer, advocate, other), as they told the chat.
    writer: Mapped[str | None] = mapped_column(String(20))
    # The member of staff who logged it on a child's behalf (given in person, by phone, letter...).
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # Holds a disclosure of harm: a safeguarding matter, not only feedback.
    safeguarding: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Categories staff give it: one of the configured service areas (procedures.yaml `service_areas`),
    # and whether a complaint is about a member of staff.
    service_area: Mapped[str | None] = mapped_column(String(40))
    about_staff: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The young person's own words where the chat could not follow them, for a person to read.
    notes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What came of it, in a sentence for staff (the young person's reply is a FeedbackReply).
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None] = mapped_column()
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # A compliment: the member of staff the young person wants to thank (they or staff name them),
    # and when the thanks were passed on to that person.
    thanked: Mapped[str | None] = mapped_column(String(200))
    thanks_passed_on_at: Mapped[datetime | None] = mapped_column()
    # Argon2 hash of the code shown with the reference; reference + code let them come back.
    access_code_hash: Mapped[str | None] = mapped_column(String(200))
    # A legal hold (litigation, an Ombudsman or police enquiry) stops retention and erasure.
    legal_hold_reason: Mapped[str | None] = mapped_column(Text)
    legal_hold_at: Mapped[datetime | None] = mapped_column()
    # Set when retention or erasure took the words and personal details out; the row stays for counts.
    anonymised_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    replies: Mapped[list[FeedbackReply]] = relationship(
        back_populates="feedback", order_by="FeedbackReply.sent_at", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Feedback {self.reference} {self.kind}>"


class ReplyMethod(StrEnum):
    """How a reply reached the young person."""

    WEB = "web"
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"
    WORKER = "worker"


class FeedbackReply(Base):
    """What staff told the person about their feedback; shown when they come back with their code."""

    __tablename__ = "feedback_reply"
    __table_args__ = (CheckConstraint(one_of(ReplyMethod, "method"), name="method"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    feedback: Mapped[Feedback] = relationship(back_populates="replies")


class ReferenceSequence(Base):
    """Last reference number issued in a year, so references run VOS-2026-000001 upwards."""

    __tablename__ = "reference_sequence"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)
