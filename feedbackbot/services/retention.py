"""Retention, legal hold and erasure: the privacy page's promises carried out on the database.

Rows that reports count (feedback, complaint cases and their steps, closing-the-loop tasks,
learning actions, safeguarding alerts) are anonymised, never deleted: the words and anything
identifying a person go, the dates, kind, stage, outcome and topic stay. Chat transcripts,
sent notifications and old audit rows are deleted. Every removal is written to the audit trail
by reference and type, never with the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update

from feedbackbot.core.retention import RetentionPolicy, Rule
from feedbackbot.extensions import db
from feedbackbot.models import (
    AdvocacyReferral,
    AuditEvent,
    Complaint,
    Conversation,
    ConversationMessage,
    Feedback,
    LoopTask,
    OutboxMessage,
    OutboxStatus,
    RecordAccess,
    SafeguardingAlert,
    SafeguardingCheckIn,
)
from feedbackbot.models.complaints import CaseStatus
from feedbackbot.services import clock
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.config import domain
from feedbackbot.services.errors import Conflict, Invalid, NotFound

REMOVED = "(removed under the retention rules)"
# What a complaint step keeps once anonymised: what the case's stages and the reports are
# derived from, never free text (reasons, notes, points, findings, letter text).
KEPT_EVENT_DATA = {"outcome", "method", "answer", "lead_id", "by", "letter"}


@dataclass
class RetentionResult:
    """What a run removed (or, in a dry run, would remove), per record type."""

    dry_run: bool
    removed: dict[str, list[str]] = field(default_factory=dict)
    held: dict[str, list[str]] = field(default_factory=dict)

    def count(self, record_type: str) -> int:
        """How many records of a type went (or would go)."""
        return len(self.removed.get(record_type, []))

    def lines(self, policy: RetentionPolicy) -> list[str]:
        """One line per record type, for the CLI and the clock's log."""
        verb = "would" if self.dry_run else "did"
        out = []
        for rule in policy.ordered():
            names = self.removed.get(rule.record_type, [])
            line = f"{rule.record_type}: {verb} {rule.action} {len(names)} ({rule.period} after {rule.after.replace('_', ' ')})"
            if names and rule.record_type in {"complaint", "feedback", "safeguarding_alert"}:
                line += ": " + ", ".join(names[:20]) + (" ..." if len(names) > 20 else "")
            held = self.held.get(rule.record_type, [])
            if held:
                line += f"; kept on legal hold: {', '.join(held)}"
            out.append(line)
        return out

    def __str__(self) -> str:
        parts = [f"{kind} {len(names)}" for kind, names in self.removed.items() if names]
        return ("dry run: " if self.dry_run else "") + (", ".join(parts) or "nothing past its retention")


def policy() -> RetentionPolicy:
    """The retention rules the app was started with."""
    return domain().retention


def run_retention(dry_run: bool = False, actor: Actor | None = None) -> RetentionResult:
    """Apply every rule once; in a dry run, say what would go and change nothing."""
    actor = actor or Actor.system("retention")
    rules = policy()
    result = RetentionResult(dry_run=dry_run)
    now = clock.now()
    try:
        _complaints(rules.rule("complaint"), now, result, actor)
        _feedback(rules.rule("feedback"), now, result, actor)
        _alerts(rules.rule("safeguarding_alert"), now, result, actor)
        _conversations(rules.rule("conversation"), now, result, actor)
        _outbox(rules.rule("outbox"), now, result, actor)
        _audit(rules.rule("audit"), now, result, actor)
    except Exception:
        db.session.rollback()
        raise
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return result


def _closed_on(complaint: Complaint) -> Any:
    closed = [e.occurred_on for e in complaint.events if e.kind == "closed"]
    return max(closed) if closed else None


def _complaints(rule: Rule, now: datetime, result: RetentionResult, actor: Actor) -> None:
    cutoff = rule.cutoff_date(now.date())
    removed, held = result.removed.setdefault("complaint", []), result.held.setdefault("complaint", [])
    cases = db.session.scalars(
        select(Complaint)
        .join(Feedback, Complaint.feedback_id == Feedback.id)
        .where(Complaint.status == CaseStatus.CLOSED.value, Feedback.anonymised_at.is_(None))
        .order_by(Complaint.id)
    )
    for complaint in cases:
        closed_on = _closed_on(complaint)
        if closed_on is None or closed_on >= cutoff:
            continue
        if complaint.feedback.legal_hold_reason:
            held.append(complaint.reference)
            continue
        removed.append(complaint.reference)
        if not result.dry_run:
            _anonymise_case(complaint, now)
            record_event(
                actor,
                "retention.anonymised",
                "feedback",
                complaint.feedback.reference,
                after={"type": "complaint", "reference": complaint.reference, "rule": _rule_words(rule)},
            )


def _feedback(rule: Rule, now: datetime, result: RetentionResult, actor: Actor) -> None:
    cutoff = rule.cutoff(now)
    anchor = Feedback.updated_at if rule.after == "last_change" else Feedback.created_at
    removed, held = result.removed.setdefault("feedback", []), result.held.setdefault("feedback", [])
    has_case = select(Complaint.id).where(Complaint.feedback_id == Feedback.id).exists()
    rows = db.session.scalars(
        select(Feedback)
        .where(Feedback.anonymised_at.is_(None), anchor < cutoff, ~has_case)
        .order_by(Feedback.id)
    )
    for feedback in rows:
        if feedback.legal_hold_reason:
            held.append(feedback.reference)
            continue
        removed.append(feedback.reference)
        if not result.dry_run:
            anonymise_feedback(feedback, now)
            record_event(
                actor,
                "retention.anonymised",
                "feedback",
                feedback.reference,
                after={"type": "feedback", "reference": feedback.reference, "rule": _rule_words(rule)},
            )


def _alerts(rule: Rule, now: datetime, result: RetentionResult, actor: Actor) -> None:
    cutoff = rule.cutoff(now)
    removed = result.removed.setdefault("safeguarding_alert", [])
    held = result.held.setdefault("safeguarding_alert", [])
    rows = db.session.scalars(
        select(SafeguardingAlert)
        .where(SafeguardingAlert.anonymised_at.is_(None), SafeguardingAlert.created_at < cutoff)
        .order_by(SafeguardingAlert.id)
    )
    for alert in rows:
        feedback = db.session.get(Feedback, alert.feedback_id) if alert.feedback_id else None
        if feedback is not None and feedback.legal_hold_reason:
            held.append(alert.reference)
            continue
        removed.append(alert.reference)
        if not result.dry_run:
            _anonymise_alert(alert, now)
            record_event(
                actor,
                "retention.anonymised",
                "safeguarding_alert",
                alert.id,
                after={"type": "safeguarding_alert", "reference": alert.reference, "rule": _rule_words(rule)},
            )


def _conversations(rule: Rule, now: datetime, result: RetentionResult, actor: Actor) -> None:
    cutoff = rule.cutoff(now)
    anchor = Conversation.updated_at if rule.after == "last_change" else Conversation.created_at
    live_alert = (
        select(SafeguardingAlert.id)
        .where(
            SafeguardingAlert.conversation_id == Conversation.id,
            SafeguardingAlert.anonymised_at.is_(None),
        )
        .exists()
    )
    if result.dry_run:  # the alerts this run would anonymise free their conversations too
        going = result.removed.get("safeguarding_alert", [])
        ids = [int(ref.removeprefix("SG-")) for ref in going]
        if ids:
            live_alert = (
                select(SafeguardingAlert.id)
                .where(
                    SafeguardingAlert.conversation_id == Conversation.id,
                    SafeguardingAlert.anonymised_at.is_(None),
                    SafeguardingAlert.id.not_in(ids),
                )
                .exists()
            )
    ids = list(
        db.session.scalars(
            select(Conversation.id)
            .where(Conversation.feedback_id.is_(None), anchor < cutoff, ~live_alert)
            .order_by(Conversation.created_at)
        )
    )
    result.removed["conversation"] = ids
    if result.dry_run or not ids:
        return
    _delete_conversations(ids)
    record_event(
        actor,
        "retention.deleted",
        "conversation",
        "batch",
        after={"type": "conversation", "count": len(ids), "ids": ids, "rule": _rule_words(rule)},
    )


def _outbox(rule: Rule, now: datetime, result: RetentionResult, actor: Actor) -> None:
    cutoff = rule.cutoff(now)
    finished = func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at)
    where = (
        OutboxMessage.status.in_([OutboxStatus.SENT.value, OutboxStatus.CANCELLED.value]),
        finished < cutoff,
    )
    ids = [str(i) for i in db.session.scalars(select(OutboxMessage.id).where(*where))]
    result.removed["outbox"] = ids
    if result.dry_run or not ids:
        return
    db.session.execute(delete(OutboxMessage).where(*where))
    record_event(
        actor,
        "retention.deleted",
        "outbox",
        "batch",
        after={"type": "outbox", "count": len(ids), "rule": _rule_words(rule)},
    )


def _audit(rule: Rule, now: datetime, result: RetentionResult, actor: Actor) -> None:
    cutoff = rule.cutoff(now)
    ids = [str(i) for i in db.session.scalars(select(AuditEvent.id).where(AuditEvent.occurred_at < cutoff))]
    ids += [
        f"access:{i}"
        for i in db.session.scalars(select(RecordAccess.id).where(RecordAccess.opened_at < cutoff))
    ]
    result.removed["audit"] = ids
    if result.dry_run or not ids:
        return
    db.session.execute(delete(AuditEvent).where(AuditEvent.occurred_at < cutoff))
    db.session.execute(delete(RecordAccess).where(RecordAccess.opened_at < cutoff))
    record_event(
        actor,
        "retention.deleted",
        "audit",
        "batch",
        after={"type": "audit", "count": len(ids), "before": cutoff.isoformat(), "rule": _rule_words(rule)},
    )


def _rule_words(rule: Rule) -> str:
    return f"{rule.action} {rule.period} after {rule.after.replace('_', ' ')}"


# --- anonymising ---------------------------------------------------------------------------


def anonymise_feedback(feedback: Feedback, now: datetime) -> None:
    """Take out the words and personal details; keep what reports count (dates, kind, topic...)."""
    feedback.text = ""
    feedback.topic_text = None
    feedback.name = None
    feedback.anonymous = True
    feedback.contact_method = None
    feedback.contact_value = None
    feedback.writer = None
    feedback.notes = None
    feedback.outcome = REMOVED if feedback.outcome else None
    feedback.access_code_hash = None
    feedback.anonymised_at = now
    for reply in list(feedback.replies):
        db.session.delete(reply)
    for task in db.session.scalars(select(LoopTask).where(LoopTask.feedback_id == feedback.id)):
        task.outcome = REMOVED
        task.message = None
    for referral in db.session.scalars(
        select(AdvocacyReferral).where(AdvocacyReferral.feedback_id == feedback.id)
    ):
        referral.notes = None
    conversations = list(
        db.session.scalars(select(Conversation.id).where(Conversation.feedback_id == feedback.id))
    )
    if conversations:
        _delete_conversations(conversations)


def _anonymise_case(complaint: Complaint, now: datetime) -> None:
    complaint.complainant_name = None
    complaint.about_child = None
    complaint.late_reason = None
    for event in complaint.events:
        kept = {k: v for k, v in (event.data or {}).items() if k in KEPT_EVENT_DATA}
        if event.kind == "paused" and "reason" in (event.data or {}):
            kept["reason"] = event.data["reason"]  # a configured key, not free text
        event.data = kept
    for action in complaint.learning_actions:
        action.action = REMOVED
        action.evidence = None
    anonymise_feedback(complaint.feedback, now)


def _anonymise_alert(alert: SafeguardingAlert, now: datetime) -> None:
    alert.text = ""
    alert.who = ""
    alert.reading = None
    alert.anonymised_at = now
    db.session.execute(
        update(SafeguardingCheckIn).where(SafeguardingCheckIn.alert_id == alert.id).values(reading={})
    )


def _delete_conversations(ids: list[str]) -> None:
    """Delete chat transcripts, first loosening what points at them (alerts keep their counts)."""
    db.session.flush()
    messages = select(ConversationMessage.id).where(ConversationMessage.conversation_id.in_(ids))
    db.session.execute(
        update(SafeguardingAlert)
        .where(or_(SafeguardingAlert.conversation_id.in_(ids), SafeguardingAlert.message_id.in_(messages)))
        .values(conversation_id=None, message_id=None)
    )
    db.session.execute(
        update(SafeguardingCheckIn)
        .where(
            or_(SafeguardingCheckIn.conversation_id.in_(ids), SafeguardingCheckIn.message_id.in_(messages))
        )
        .values(conversation_id=None, message_id=None, reading={})
    )
    db.session.execute(delete(ConversationMessage).where(ConversationMessage.conversation_id.in_(ids)))
    db.session.execute(delete(Conversation).where(Conversation.id.in_(ids)))
    db.session.expire_all()


# --- legal hold and erasure ----------------------------------------------------------------


def _find(reference: str) -> Feedback:
    reference = (reference or "").strip().upper()
    feedback = db.session.scalars(select(Feedback).where(Feedback.reference == reference)).first()
    if feedback is None:
        raise NotFound(f"there is no feedback or complaint {reference or '(empty)'}")
    return feedback


def set_legal_hold(reference: str, reason: str, actor: Actor) -> Feedback:
    """Stop retention and erasure for a case or piece of feedback, with the reason recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("say why the record must be kept (the reason for the legal hold)")
    feedback = _find(reference)
    if feedback.legal_hold_reason:
        raise Conflict(f"{feedback.reference} is already on legal hold: {feedback.legal_hold_reason}")
    feedback.legal_hold_reason = reason
    feedback.legal_hold_at = clock.now()
    record_event(actor, "legal_hold.set", "feedback", feedback.reference, after={"reason": reason})
    db.session.commit()
    return feedback


def release_legal_hold(reference: str, reason: str, actor: Actor) -> Feedback:
    """Lift a legal hold; retention applies again from the next run."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("say why the legal hold can end")
    feedback = _find(reference)
    if not feedback.legal_hold_reason:
        raise Conflict(f"{feedback.reference} is not on legal hold")
    before = {"reason": feedback.legal_hold_reason}
    feedback.legal_hold_reason = None
    feedback.legal_hold_at = None
    record_event(
        actor, "legal_hold.released", "feedback", feedback.reference, before=before, after={"reason": reason}
    )
    db.session.commit()
    return feedback


def erase(reference: str, reason: str, actor: Actor) -> Feedback:
    """Erase one record's words and personal details on request; refused while a legal hold stands."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("say why the record is erased (for example: erasure request of 3 March)")
    feedback = _find(reference)
    if feedback.legal_hold_reason:
        raise Conflict(
            f"{feedback.reference} is on legal hold ({feedback.legal_hold_reason}); it cannot be erased"
        )
    if feedback.anonymised_at is not None:
        raise Conflict(f"{feedback.reference} has already been erased or anonymised")
    now = clock.now()
    complaint = db.session.scalars(select(Complaint).where(Complaint.feedback_id == feedback.id)).first()
    if complaint is not None:
        _anonymise_case(complaint, now)
    else:
        anonymise_feedback(feedback, now)
    for alert in db.session.scalars(
        select(SafeguardingAlert).where(
            SafeguardingAlert.feedback_id == feedback.id, SafeguardingAlert.anonymised_at.is_(None)
        )
    ):
        _anonymise_alert(alert, now)
    record_event(
        actor,
        "erasure.done",
        "feedback",
        feedback.reference,
        after={"type": "complaint" if complaint else "feedback", "reason": reason},
    )
    db.session.commit()
    return feedback
