"""Database models (SQLAlchemy 2.0 typed declarative); the schema changes only through migrations."""

from feedbackbot.models.advocacy import AdvocacyReferral, AdvocateAnswer
from feedbackbot.models.audit import AuditEvent
from feedbackbot.models.base import Base, utcnow
from feedbackbot.models.chat import Conversation, ConversationMessage, Sender
from feedbackbot.models.clock import ClockHeartbeat
from feedbackbot.models.complaints import (
    ApiToken,
    CaseStatus,
    Complaint,
    ComplaintEvent,
    LearningAction,
    LoopStatus,
    LoopTask,
    Procedure,
    Relationship,
)
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
from feedbackbot.models.outbox import OutboxMessage, OutboxStatus
from feedbackbot.models.privacy import RecordAccess, SubjectAccessRequest
from feedbackbot.models.safeguarding import AlertStatus, CheckInAnswer, SafeguardingAlert, SafeguardingCheckIn
from feedbackbot.models.staff import Role, StaffUser
from feedbackbot.models.you_said import YouSaidWeDid

__all__ = [
    "AdvocacyReferral",
    "AdvocateAnswer",
    "AlertStatus",
    "ApiToken",
    "AuditEvent",
    "Base",
    "CaseStatus",
    "Channel",
    "CheckInAnswer",
    "ClockHeartbeat",
    "Complaint",
    "ComplaintEvent",
    "ContactMethod",
    "Conversation",
    "ConversationMessage",
    "Feedback",
    "FeedbackReply",
    "Kind",
    "LearningAction",
    "LoopStatus",
    "LoopTask",
    "OutboxMessage",
    "OutboxStatus",
    "Procedure",
    "RecordAccess",
    "ReferenceSequence",
    "Relationship",
    "ReplyMethod",
    "Role",
    "SafeguardingAlert",
    "SafeguardingCheckIn",
    "Sender",
    "StaffUser",
    "Status",
    "SubjectAccessRequest",
    "YouSaidWeDid",
    "utcnow",
]
