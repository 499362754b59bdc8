"""The durable outbox: notifications are rows first, sent after the commit, retried, never twice.

`enqueue` adds a row in the caller's transaction (its unique key makes a repeat a no-op).
`dispatch_pending` claims due rows one by one (a conditional update, so two workers cannot claim
the same row), sends each to Slack and records the outcome. A send whose outcome is unknown
(the process died, or the call timed out) is "in doubt": before it is tried again, the target
channel's history is searched for the message's key (sent as Slack message metadata), so it is
never posted twice.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from feedbackbot.extensions import db
from feedbackbot.models import OutboxMessage, OutboxStatus
from feedbackbot.services import clock

log = logging.getLogger(__name__)

METADATA_EVENT = "feedbackbot_notification"
OFFICE_HOURS_KINDS = ("reminder", "digest", "report")
LEASE = timedelta(minutes=2)
SENDERS = 4  # background sender threads per process
MAX_QUEUED = 500  # beyond this, new rows wait for the clock rather than for a thread
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_queued: set[Future[None]] = set()


class SlackUnavailable(Exception):
    """Slack is not configured; rows wait until it is."""


@dataclass
class DispatchResult:
    """What a dispatch run did."""

    sent: int = 0
    failed: int = 0
    reconciled: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} failed (will retry), {self.reconciled} found already sent"


def enqueue(
    key: str,
    kind: str,
    target: str | None,
    payload: dict[str, Any],
    *,
    related: tuple[str, object] | None = None,
    not_before: datetime | None = None,
    status: str = OutboxStatus.PENDING.value,
) -> OutboxMessage | None:
    """Add a notification to the current transaction; gives None when that key is already queued.

    A row added as cancelled records that a notification was considered and deliberately not
    sent (a reminder superseded by a later one), so no later run sends it either.
    """
    row = OutboxMessage(
        key=key,
        kind=kind,
        target=target,
        payload=payload,
        related_type=related[0] if related else None,
        related_id=str(related[1]) if related else None,
        next_attempt_at=not_before or clock.now(),
        status=status,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return None
    return row


@dataclass(frozen=True)
class NewMessage:
    """A notification to add with enqueue_many (the same fields as enqueue)."""

    key: str
    kind: str
    target: str | None
    payload: dict[str, Any]
    related: tuple[str, object] | None = None
    status: str = OutboxStatus.PENDING.value


BULK_ROWS = 1000  # rows per INSERT statement


def enqueue_many(messages: list[NewMessage]) -> list[str]:
    """Add many notifications to the current transaction at once; gives the keys that were new.

    The same promise as enqueue (a key already queued is a no-op, so nothing is sent twice), in
    one look-up and one INSERT ... ON CONFLICT DO NOTHING per thousand rows instead of a
    savepoint and a flush per row: the clock's sweep queues thousands this way.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    now = clock.now()
    added: list[str] = []
    for first in range(0, len(messages), BULK_ROWS):
        chunk = messages[first : first + BULK_ROWS]
        existing = set(
            db.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_([m.key for m in chunk])))
        )
        rows = [
            {
                "key": m.key,
                "kind": m.kind,
                "target": m.target,
                "payload": m.payload,
                "related_type": m.related[0] if m.related else None,
                "related_id": str(m.related[1]) if m.related else None,
                "status": m.status,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for m in {m.key: m for m in chunk if m.key not in existing}.values()
        ]
        if rows:
            statement = (
                dialect_insert(OutboxMessage)
                .on_conflict_do_nothing(index_elements=["key"])
                .returning(OutboxMessage.key)
            )
            added += db.session.scalars(statement, rows).all()
    return added


def cancel_pending(related_type: str, related_id: object, kinds: set[str]) -> int:
    """Cancel notifications that no longer need sending (e.g. reminders for an acknowledged alert)."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.related_type == related_type,
            OutboxMessage.related_id == str(related_id),
            OutboxMessage.kind.in_(kinds),
            OutboxMessage.status == OutboxStatus.PENDING.value,
        )
        .values(status=OutboxStatus.CANCELLED.value, claimed_until=None)
    )
    return result.rowcount or 0


def pending_ids_for_key_prefix(prefix: str) -> list[int]:
    """Pending rows whose key starts with `prefix` (the follow-ups of one notification)."""
    return list(
        db.session.scalars(
            select(OutboxMessage.id).where(
                OutboxMessage.key.startswith(prefix, autoescape=True),
                OutboxMessage.status == OutboxStatus.PENDING.value,
            )
        )
    )


def backlog() -> tuple[int, datetime | None, str | None]:
    """Pending rows, the oldest one's creation time, and the latest error (for health and the dashboard)."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING.value
        )
    ).one()
    error = db.session.scalar(
        select(OutboxMessage.last_error)
        .where(OutboxMessage.status == OutboxStatus.PENDING.value, OutboxMessage.last_error.is_not(None))
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    if oldest is not None and oldest.tzinfo is None:  # SQLite aggregate bypasses the column type
        from datetime import UTC

        oldest = oldest.replace(tzinfo=UTC)
    return count or 0, oldest, error


# --- sending -------------------------------------------------------------------------------------


def slack_client(app: Flask) -> WebClient:
    """A Web API client without the SDK's own retries: the outbox decides when to try again."""
    if not app.config.get("SLACK_BOT_TOKEN"):
        raise SlackUnavailable("Slack is not configured (SLACK_BOT_TOKEN is not set)")
    base_url = app.config["SLACK_API_URL"]
    return WebClient(
        token=app.config["SLACK_BOT_TOKEN"],
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        timeout=app.config["SLACK_TIMEOUT_SECONDS"],
        retry_handlers=[],
    )


def _backoff(attempts: int, retry_after: int | None = None) -> timedelta:
    base = current_app.config["OUTBOX_RETRY_SECONDS"]
    ceiling = current_app.config["OUTBOX_RETRY_MAX_SECONDS"]
    seconds = min(base * 2 ** max(attempts - 1, 0), ceiling)
    if retry_after:
        seconds = max(seconds, retry_after)
    return timedelta(seconds=seconds)


def _claim(row_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row_id,
            OutboxMessage.status == OutboxStatus.PENDING.value,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + LEASE)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _channel_for(client: WebClient, target: str) -> str:
    if target[:1] in {"U", "W"}:  # a person: their direct-message channel with the bot
        return client.conversations_open(users=target)["channel"]["id"]
    return target


@dataclass(frozen=True)
class _Message:
    """What a send needs from its row, read before the commit so no Slack call holds a connection."""

    id: int
    key: str
    kind: str
    target: str | None
    payload: dict[str, Any]
    in_doubt_since: datetime | None
    created_at: datetime

    @property
    def is_post(self) -> bool:
        """A new message (not an update of one already posted)."""
        return self.payload.get("method", "chat.postMessage") == "chat.postMessage"


def _already_posted(client: WebClient, channel: str, message: _Message) -> str | None:
    """Look for this row's key in the channel since the in-doubt send started; give its ts."""
    since = (message.in_doubt_since or message.created_at) - timedelta(minutes=5)
    history = client.conversations_history(
        channel=channel, oldest=f"{since.timestamp():.6f}", include_all_metadata=True, limit=200
    )
    for posted in history.get("messages", []):
        metadata = posted.get("metadata") or {}
        if (
            metadata.get("event_type") == METADATA_EVENT
            and (metadata.get("event_payload") or {}).get("key") == message.key
        ):
            return posted.get("ts")
    return None


def _send(client: WebClient, message: _Message) -> tuple[str, str | None]:
    payload = dict(message.payload)
    method = payload.pop("method", "chat.postMessage")
    if method == "chat.update":
        response = client.chat_update(**payload)
        return payload["channel"], response.get("ts")
    channel = _channel_for(client, message.target or "")
    response = client.chat_postMessage(
        channel=channel,
        metadata={"event_type": METADATA_EVENT, "event_payload": {"key": message.key}},
        **payload,
    )
    return response.get("channel") or channel, response.get("ts")


def _pending_row(row_id: int) -> OutboxMessage | None:
    row = db.session.get(OutboxMessage, row_id, populate_existing=True)
    if row is None or row.status != OutboxStatus.PENDING.value:
        return None
    return row


def _mark_sending(row_id: int, now: datetime) -> bool:
    """Record that a send is starting (so an unknown outcome is checked, not repeated); then let go."""
    row = _pending_row(row_id)
    if row is not None:
        row.sending_since = now
    db.session.commit()
    return row is not None


def _deliver(client: WebClient, row_id: int, now: datetime, result: DispatchResult) -> None:
    """Send one claimed row: the database is only touched between Slack calls, never during one."""
    row = _pending_row(row_id)
    if row is None:
        db.session.commit()
        return
    message = _Message(
        id=row.id,
        key=row.key,
        kind=row.kind,
        target=row.target,
        payload=dict(row.payload),
        in_doubt_since=row.sending_since,
        created_at=row.created_at,
    )
    db.session.commit()  # ends the transaction and hands the connection back before Slack is called
    try:
        if message.target is None and message.is_post:
            raise SlackUnavailable(f"no Slack channel is configured for {message.kind} notifications")
        if message.in_doubt_since is not None and message.is_post:
            channel = _channel_for(client, message.target or "")
            ts = _already_posted(client, channel, message)
            if ts:
                _mark_sent(row_id, channel, ts, now)
                result.reconciled += 1
                return
        if not _mark_sending(row_id, now):
            return
        channel, ts = _send(client, message)
    except SlackApiError as exc:
        status = exc.response.status_code
        retry_after = exc.response.headers.get("Retry-After") if exc.response.headers else None
        definite = status < 500  # a 4xx or ok:false means Slack did not post it
        _mark_failed(row_id, f"Slack: {exc.response.get('error') or status}", now, definite, retry_after)
        result.failed += 1
        return
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        _mark_failed(row_id, f"Slack unreachable: {exc}", now, definite=False)
        result.failed += 1
        return
    except SlackUnavailable as exc:
        _mark_failed(row_id, str(exc), now, definite=True)
        result.failed += 1
        return
    _mark_sent(row_id, channel, ts, now)
    result.sent += 1


def _mark_sent(row_id: int, channel: str | None, ts: str | None, now: datetime) -> None:
    row = db.session.get(OutboxMessage, row_id, populate_existing=True)
    if row is not None:
        row.status = OutboxStatus.SENT.value
        row.sent_at = now
        row.slack_channel = channel
        row.slack_ts = ts
        row.sending_since = None
        row.claimed_until = None
        row.last_error = None
    db.session.commit()


def _mark_failed(
    row_id: int, error: str, now: datetime, definite: bool, retry_after: str | None = None
) -> None:
    row = db.session.get(OutboxMessage, row_id, populate_existing=True)
    if row is None:
        db.session.commit()
        return
    row.attempts += 1
    row.last_error = error[:500]
    row.next_attempt_at = now + _backoff(row.attempts, int(retry_after) if retry_after else None)
    if row.kind.startswith(OFFICE_HOURS_KINDS):  # reminders and digests wait for working hours
        from feedbackbot.services.reminders import schedule

        row.next_attempt_at = schedule().next_opening(row.next_attempt_at)
    row.claimed_until = None
    if definite:
        row.sending_since = None
    key, attempts = row.key, row.attempts
    db.session.commit()
    log.warning("notification %s not sent (attempt %d): %s", key, attempts, error)


def dispatch_pending(limit: int = 100, ids: list[int] | None = None) -> DispatchResult:
    """Send what is due now (or just `ids`); each row is claimed first so no one else sends it."""
    now = clock.now()
    result = DispatchResult()
    stmt = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(ids))
    due = list(db.session.scalars(stmt))
    db.session.commit()
    if not due:
        return result
    try:
        client = slack_client(current_app)
    except SlackUnavailable as exc:
        for row_id in due:
            row = db.session.get(OutboxMessage, row_id)
            if row is not None and row.last_error != str(exc):
                row.last_error = str(exc)
        db.session.commit()
        return result
    for row_id in due:
        if _claim(row_id, now):
            _deliver(client, row_id, now, result)
    return result


def _sender() -> ThreadPoolExecutor:
    """This process's few background senders, started on first use (after a server forks)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=SENDERS, thread_name_prefix="outbox-send")
        return _pool


def _forget(future: Future[None]) -> None:
    with _pool_lock:
        _queued.discard(future)


def send_soon(app: Flask, ids: list[int]) -> None:
    """Try the new rows straight away in the background, so nobody waits for Slack.

    A few sender threads per process take the sends in turn (a hanging Slack cannot make
    threads pile up), and a send holds no database connection while it waits for Slack.
    When too many sends are already waiting, the rows are left to the clock's next sweep.
    """
    if not ids or not app.config.get("OUTBOX_SEND_IMMEDIATELY", True):
        return

    def run() -> None:
        with app.app_context():
            try:
                dispatch_pending(ids=ids)
            except Exception:
                log.exception("sending notifications %s failed; the clock will retry", ids)
                db.session.rollback()
            finally:
                db.session.remove()

    with _pool_lock:
        if len(_queued) >= MAX_QUEUED:
            log.warning("%d notification sends already waiting; %s left to the clock", len(_queued), ids)
            return
    future = _sender().submit(run)
    with _pool_lock:
        _queued.add(future)
    future.add_done_callback(_forget)


def wait_for_background(timeout: float = 30) -> None:
    """Wait for background sends to finish (tests, and a graceful shutdown)."""
    deadline = time.monotonic() + timeout
    while True:
        with _pool_lock:
            waiting = list(_queued)
        if not waiting:
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        futures_wait(waiting, timeout=remaining)
