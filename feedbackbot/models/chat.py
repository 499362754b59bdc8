"""Chat conversations and their messages: kept so a page reload resumes where the young person was."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedbackbot.models.base import Base, one_of, utcnow


class Sender(StrEnum):
    """Who wrote a chat message."""

    YOUNG_PERSON = "young_person"
    BOT = "bot"


class Conversation(Base):
    """One chat; the young person holds its id and a secret token, stored here only as a hash."""

    __tablename__ = "conversation"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    messages: Mapped[list[ConversationMessage]] = relationship(
        back_populates="conversation", order_by="ConversationMessage.id", cascade="all, delete-orphan"
    )


class ConversationMessage(Base):
    """A message in a chat, from the young person or the bot (with the buttons it offered)."""

    __tablename__ = "conversation_message"
    __table_args__ = (CheckConstraint(one_of(Sender, "sender"), name="sender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    choice: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
