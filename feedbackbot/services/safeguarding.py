"""Safeguarding alerts: raised at once on a disclosure, notified to the people on duty, re-sent to a
wider group every few minutes until a named member of staff acknowledges them."""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update

from feedbackbot.core.conversation import CheckIn, Disclosure
from feedbackbot.extensions import db
from feedbackbot.models import (
    AlertStatus,
    Conversation,
    ConversationMessage,
    Feedback,
    OutboxMessage,
    OutboxStatus,
    SafeguardingAlert,
    SafeguardingCheckIn,
    StaffUser,
)
from feedbackbot.models.base import storable_id
from feedbackbot.services import clock, outbox
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.config import domain
from feedbackbot.services.errors import Conflict, NotFound
from feedbackbot.slack.blocks import safeguarding_alert_blocks

ALERT_KINDS = {"safeguarding_alert", "safeguarding_urgent", "safeguarding_renotify"}


def _local(moment: datetime) -> str:
    local = moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def category_labels(categories: list[str]) -> list[str]:
    """The categories in words, as the safeguarding file names them."""
    names = domain().risk.data.categories
    return [names.get(c, c) for c in categories]


def alert_link(alert: SafeguardingAlert) -> str:
    """Where the alert is in the staff dashboard."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/staff/safeguarding/{alert.id}"


def _blocks(alert: SafeguardingAlert, repeat: int = 0) -> dict:
    text, blocks = safeguarding_alert_blocks(
        reference=alert.reference,
        alert_id=alert.id,
        categories=category_labels(alert.categories),
        raised_at=_local(alert.created_at),
        who_given=alert.who != "not given yet",
        urgent=alert.urgent,
        link=alert_link(alert),
        repeat=repeat,
        acknowledged_by=alert.acknowledged_by,
        acknowledged_at=_local(alert.acknowledged_at) if alert.acknowledged_at else None,
    )
    return {"text": text, "blocks": blocks}


def _who(conversation: Conversation | None) -> str:
    data = (conversation.state or {}).get("data", {}) if conversation else {}
    return (data.get("name") or "not given yet")[:200]


def raise_alert(
    conversation: Conversation | None, message: ConversationMessage | None, disclosure: Disclosure
) -> tuple[SafeguardingAlert, list[OutboxMessage]]:
    """Record the alert and queue its notification, in the caller's transaction.

    One open alert per conversation: a second disclosure is added to it, and "not safe right
    now" marks it urgent and sends an urgent notification.
    """
    text = disclosure.text
    if not text:
        text = "(pressed Get help now)" if disclosure.source == "button" else "(asked for help)"
    alert = None
    if conversation is not None:
        alert = db.session.scalars(
            select(SafeguardingAlert).where(
                SafeguardingAlert.conversation_id == conversation.id,
                SafeguardingAlert.status == AlertStatus.OPEN.value,
            )
        ).first()
    queued: list[OutboxMessage] = []
    channel = current_app.config.get("SLACK_SAFEGUARDING_CHANNEL")
    actor = Actor.public(conversation.channel if conversation else "web_chat")
    if alert is None:
        alert = SafeguardingAlert(
            conversation_id=conversation.id if conversation else None,
            message_id=message.id if message else None,
            text=text,
            categories=list(disclosure.categories),
            source=disclosure.source,
            who=_who(conversation),
            urgent=disclosure.urgent,
            reading=disclosure.verdict.to_dict() if disclosure.verdict else None,
            created_at=clock.now(),
        )
        db.session.add(alert)
        db.session.flush()
        record_event(
            actor,
            "safeguarding.alert_raised",
            "safeguarding_alert",
            alert.id,
            after={"categories": alert.categories, "source": alert.source, "urgent": alert.urgent},
        )
        row = outbox.enqueue(
            f"safeguarding:{alert.id}:raised",
            "safeguarding_alert",
            channel,
            _blocks(alert),
            related=("safeguarding_alert", alert.id),
        )
        queued += [row] if row else []
        return alert, queued
    before = {"categories": list(alert.categories), "urgent": alert.urgent}
    alert.categories = list(dict.fromkeys([*alert.categories, *disclosure.categories]))
    if disclosure.text and disclosure.text not in alert.text:
        alert.text = f"{alert.text}\n---\n{disclosure.text}"
    became_urgent = disclosure.urgent and not alert.urgent
    alert.urgent = alert.urgent or disclosure.urgent
    alert.who = _who(conversation) if alert.who == "not given yet" else alert.who
    record_event(
        actor,
        "safeguarding.alert_updated",
        "safeguarding_alert",
        alert.id,
        before=before,
        after={"categories": alert.categories, "urgent": alert.urgent, "source": disclosure.source},
    )
    if became_urgent:
        row = outbox.enqueue(
            f"safeguarding:{alert.id}:urgent",
            "safeguarding_urgent",
            channel,
            _blocks(alert),
            related=("safeguarding_alert", alert.id),
        )
        queued += [row] if row else []
    return alert, queued


def record_check_in(
    conversation: Conversation, message: ConversationMessage, check_in: CheckIn
) -> SafeguardingCheckIn:
    """Record that the bot asked whether someone is hurting them, and why, in the caller's transaction."""
    row = SafeguardingCheckIn(
        conversation_id=conversation.id,
        message_id=message.id,
        categories=list(check_in.verdict.categories),
        reading=check_in.verdict.to_dict(),
        asked_at=clock.now(),
    )
    db.session.add(row)
    db.session.flush()
    record_event(
        Actor.public(conversation.channel),
        "safeguarding.check_in_asked",
        "safeguarding_check_in",
        row.id,
        after={"categories": row.categories, "score": row.reading["score"]},
    )
    return row


def answer_check_in(conversation: Conversation, answer: str, alert: SafeguardingAlert | None) -> None:
    """Record the answer to the conversation's open check-in, and the alert it raised if any."""
    row = db.session.scalars(
        select(SafeguardingCheckIn)
        .where(SafeguardingCheckIn.conversation_id == conversation.id, SafeguardingCheckIn.answer.is_(None))
        .order_by(SafeguardingCheckIn.asked_at.desc())
    ).first()
    if row is None:
        return
    row.answer = answer
    row.answered_at = clock.now()
    if alert is not None:
        row.alert_id = alert.id
        if alert.reading is None:
            alert.reading = {**row.reading, "layer": f"check-in ({row.reading.get('layer')})"}
    record_event(
        Actor.public(conversation.channel),
        "safeguarding.check_in_answered",
        "safeguarding_check_in",
        row.id,
        after={"answer": answer, "alert": alert.reference if alert else None},
    )


def recent_check_ins(limit: int = 100) -> list[SafeguardingCheckIn]:
    """The latest check-ins, newest first, for the dashboard."""
    return list(
        db.session.scalars(
            select(SafeguardingCheckIn).order_by(SafeguardingCheckIn.asked_at.desc()).limit(limit)
        )
    )


def check_in_messages(check_ins: list[SafeguardingCheckIn]) -> dict[int, str]:
    """The words that made the chat ask, by check-in id (for the roles that may read them)."""
    ids = [c.message_id for c in check_ins if c.message_id is not None]
    if not ids:
        return {}
    texts = dict(
        db.session.execute(
            select(ConversationMessage.id, ConversationMessage.text).where(ConversationMessage.id.in_(ids))
        ).all()
    )
    return {c.id: texts.get(c.message_id, "") for c in check_ins if c.message_id is not None}


def link_feedback(conversation: Conversation, feedback: Feedback) -> None:
    """Mark the feedback as holding a disclosure and tie the conversation's alerts to it."""
    feedback.safeguarding = True
    for alert in db.session.scalars(
        select(SafeguardingAlert).where(SafeguardingAlert.conversation_id == conversation.id)
    ):
        alert.feedback_id = feedback.id
        if alert.who == "not given yet" and feedback.name:
            alert.who = feedback.name


def get_alert(alert_id: int) -> SafeguardingAlert:
    """Find an alert by id."""
    alert = db.session.get(SafeguardingAlert, alert_id) if storable_id(alert_id) else None
    if alert is None:
        raise NotFound(f"there is no safeguarding alert {alert_id}")
    return alert


def open_alerts() -> list[SafeguardingAlert]:
    """Alerts nobody has acknowledged yet, oldest first."""
    return list(
        db.session.scalars(
            select(SafeguardingAlert)
            .where(SafeguardingAlert.status == AlertStatus.OPEN.value)
            .order_by(SafeguardingAlert.created_at)
        )
    )


def acknowledge_alert(
    alert_id: int, staff: StaffUser | None = None, label: str | None = None
) -> SafeguardingAlert:
    """A named member of staff takes the alert on: no more reminders; the Slack messages say who.

    The alert's row is locked (SELECT ... FOR UPDATE on PostgreSQL) and the change is a
    conditional update on the alert still being open (which SQLite serialises), so two people
    pressing at the same moment get one acknowledgement, one event, and the second is told who.
    """
    name = staff.name if staff else (label or "").strip()
    if not storable_id(alert_id):
        raise NotFound(f"there is no safeguarding alert {alert_id}")
    alert = db.session.scalars(
        select(SafeguardingAlert)
        .where(SafeguardingAlert.id == alert_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if alert is None:
        raise NotFound(f"there is no safeguarding alert {alert_id}")
    if alert.status == AlertStatus.ACKNOWLEDGED.value:
        _already_acknowledged(alert)
    if not name:
        db.session.rollback()
        raise Conflict("an alert is acknowledged by a named member of staff")
    taken = db.session.execute(
        update(SafeguardingAlert)
        .where(SafeguardingAlert.id == alert.id, SafeguardingAlert.status == AlertStatus.OPEN.value)
        .values(
            status=AlertStatus.ACKNOWLEDGED.value,
            acknowledged_at=clock.now(),
            acknowledged_by_id=staff.id if staff else None,
            acknowledged_by=name[:200],
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(alert)
    if taken != 1:
        _already_acknowledged(alert)
    outbox.cancel_pending("safeguarding_alert", alert.id, ALERT_KINDS)
    record_event(
        Actor.staff(staff) if staff else Actor(label=f"slack:{name}"),
        "safeguarding.alert_acknowledged",
        "safeguarding_alert",
        alert.id,
        before={"status": AlertStatus.OPEN.value},
        after={"status": alert.status, "by": alert.acknowledged_by},
    )
    sent = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.related_type == "safeguarding_alert",
            OutboxMessage.related_id == str(alert.id),
            OutboxMessage.status == OutboxStatus.SENT.value,
            OutboxMessage.kind.in_(ALERT_KINDS),
        )
    ).all()
    updated = _blocks(alert)
    for row in sent:
        if row.slack_channel and row.slack_ts:
            outbox.enqueue(
                f"safeguarding:{alert.id}:acknowledged:{row.id}",
                "slack_update",
                row.slack_channel,
                {"method": "chat.update", "channel": row.slack_channel, "ts": row.slack_ts, **updated},
                related=("safeguarding_alert", alert.id),
            )
    db.session.commit()
    outbox.send_soon(current_app._get_current_object(), _pending_ids(alert.id))  # type: ignore[attr-defined]
    return alert


def _already_acknowledged(alert: SafeguardingAlert) -> NoReturn:
    reference, by = alert.reference, alert.acknowledged_by
    db.session.rollback()  # let go of the row lock at once
    raise Conflict(f"{reference} was already acknowledged by {by}")


def _pending_ids(alert_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.related_type == "safeguarding_alert",
                OutboxMessage.related_id == str(alert_id),
                OutboxMessage.status == OutboxStatus.PENDING.value,
            )
        )
    )


def renotify_unacknowledged() -> int:
    """Queue a reminder to the wider group for each alert left unacknowledged for another period.

    Reminders are keyed by period number, so a clock that runs twice, or late, queues each one
    once; after downtime only the current period's reminder is queued, not one per missed run.
    """
    minutes = current_app.config["SAFEGUARDING_RENOTIFY_MINUTES"]
    channel = current_app.config.get("SLACK_SAFEGUARDING_ESCALATION_CHANNEL") or current_app.config.get(
        "SLACK_SAFEGUARDING_CHANNEL"
    )
    now = clock.now()
    queued = 0
    for alert in open_alerts():
        period = int((now - alert.created_at).total_seconds() // (minutes * 60))
        if period < 1:
            continue
        row = outbox.enqueue(
            f"safeguarding:{alert.id}:renotify:{period}",
            "safeguarding_renotify",
            channel,
            _blocks(alert, repeat=period),
            related=("safeguarding_alert", alert.id),
        )
        if row is not None:
            queued += 1
            record_event(
                Actor.system("clock"),
                "safeguarding.alert_renotified",
                "safeguarding_alert",
                alert.id,
                after={"reminder": period, "channel": channel},
            )
    db.session.commit()
    return queued
