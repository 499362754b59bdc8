"""Direct messages to the bot: each message is checked like /wording."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Say

from feedbackbot.slack.listeners.wording import wording_reply


def direct_message(event: dict[str, Any], say: Say) -> None:
    """Reply in the DM (only the sender and the bot are in it)."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    text = (event.get("text") or "").strip()
    if not text:
        return
    fallback, blocks = wording_reply(text)
    say(text=fallback, blocks=blocks)


def register(app: App) -> None:
    """Attach the message listeners."""
    app.event("message")(direct_message)
