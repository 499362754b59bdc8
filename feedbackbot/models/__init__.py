"""Database models (SQLAlchemy 2.0 typed declarative); the schema changes only through migrations."""

from feedbackbot.models.audit import AuditEvent
from feedbackbot.models.base import Base, utcnow
from feedbackbot.models.chat import Conversation, ConversationMessage, Sender
from feedbackbot.models.feedback import (
    Channel,
    ContactMethod,
    Feedback,
    FeedbackReply,
    Kind,
    ReferenceSequence,
    ReplyMethod,
    Status,
)
from feedbackbot.models.staff import Role, StaffUser

__all__ = [
    "AuditEvent",
    "Base",
    "Channel",
    "ContactMethod",
    "Conversation",
    "ConversationMessage",
    "Feedback",
    "FeedbackReply",
    "Kind",
    "ReferenceSequence",
    "ReplyMethod",
    "Role",
    "Sender",
    "StaffUser",
    "Status",
    "utcnow",
]
