"""Advocacy referrals: a child offered an advocate (Children Act 1989 s.26A), tracked to contact."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackbot.models.base import Base, one_of, utcnow
from feedbackbot.models.feedback import Feedback


class AdvocateAnswer(StrEnum):
    """What the child said when offered an advocate."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    ALREADY_HAS = "already_has"


class AdvocacyReferral(Base):
    """Offered, accepted, referred on, contact made: the promise "an advocate will get in touch", kept."""

    __tablename__ = "advocacy_referral"
    __table_args__ = (
        CheckConstraint(f"answer IS NULL OR {one_of(AdvocateAnswer, 'answer')}", name="answer"),
        Index("ix_advocacy_referral_open", "contact_made_on", "answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), unique=True)
    offered_on: Mapped[date] = mapped_column()
    offered_by: Mapped[str] = mapped_column(String(200))  # "the chat" or a member of staff
    answer: Mapped[str | None] = mapped_column(String(20))
    accepted_on: Mapped[date | None] = mapped_column()
    referred_on: Mapped[date | None] = mapped_column()
    referred_to: Mapped[str | None] = mapped_column(String(200))
    contact_made_on: Mapped[date | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    feedback: Mapped[Feedback] = relationship()
