"""Button presses on the bot's messages."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from slack_bolt import Ack, App
from slack_sdk import WebClient

from feedbackbot.services import outbox, reminders
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.safeguarding import acknowledge_alert
from feedbackbot.services.users import find_staff_by_slack_id

log = logging.getLogger(__name__)


def acknowledge_safeguarding(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
) -> None:
    """A member of staff takes a safeguarding alert on from Slack; the service records who."""
    ack()
    user = body.get("user") or {}
    staff = find_staff_by_slack_id(user.get("id", ""))
    label = f"{user.get('name') or user.get('username') or 'Slack user'} (Slack {user.get('id', '?')})"
    try:
        alert_id = int(action.get("value", ""))
        acknowledge_alert(alert_id, staff=staff, label=label)
    except (ValueError, ServiceError) as exc:
        channel = (body.get("channel") or {}).get("id")
        if channel and user.get("id"):
            client.chat_postEphemeral(channel=channel, user=user["id"], text=f"Could not acknowledge: {exc}")


def acknowledge_reminder(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
    """Someone has seen a deadline reminder; the message then says who."""
    ack()
    user = body.get("user") or {}
    staff = find_staff_by_slack_id(user.get("id", ""))
    label = f"{user.get('name') or user.get('username') or 'Slack user'} (Slack {user.get('id', '?')})"
    try:
        reminders.acknowledge_reminder(action.get("value", ""), staff, label)
    except ServiceError as exc:
        log.info("reminder acknowledgement refused: %s", exc)
        return
    outbox.send_soon(
        current_app._get_current_object(), outbox.pending_ids_for_key_prefix(action.get("value", ""))
    )  # type: ignore[attr-defined]


def open_dashboard(ack: Ack) -> None:
    """The "Open in dashboard" link button: Slack still sends the click, which needs an answer."""
    ack()


def register(app: App) -> None:
    """Attach the action listeners."""
    app.action("safeguarding_ack")(acknowledge_safeguarding)
    app.action("reminder_ack")(acknowledge_reminder)
    app.action("open_dashboard")(open_dashboard)
