"""Message shortcuts: "Check wording" on any message."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from feedbackbot.slack.listeners.wording import wording_reply

log = logging.getLogger(__name__)

CHECK_WORDING = "check_wording"


def check_wording_shortcut(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
    """Check the chosen message and show the result only to the person who asked."""
    ack()
    text = (shortcut.get("message") or {}).get("text") or ""
    user = shortcut["user"]["id"]
    channel = (shortcut.get("channel") or {}).get("id")
    fallback, blocks = wording_reply(text)
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=fallback, blocks=blocks)
    except SlackApiError as exc:
        # The bot may not be in that channel; the person still gets the answer, in their DM with it.
        log.info("ephemeral reply failed (%s); sending it by direct message", exc.response.get("error"))
        client.chat_postMessage(channel=user, text=fallback, blocks=blocks)


def register(app: App) -> None:
    """Attach the shortcuts."""
    app.shortcut(CHECK_WORDING)(check_wording_shortcut)
