"""Database models (SQLAlchemy 2.0 typed declarative); the schema changes only through migrations."""

from feedbackbot.models.audit import AuditEvent
from feedbackbot.models.base import Base, utcnow
from feedbackbot.models.feedback import Channel, Feedback, Kind, ReferenceSequence, Status
from feedbackbot.models.staff import Role, StaffUser

__all__ = [
    "AuditEvent",
    "Base",
    "Channel",
    "Feedback",
    "Kind",
    "ReferenceSequence",
    "Role",
    "StaffUser",
    "Status",
    "utcnow",
]
