"""Slash commands: /wording checks the text typed after it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from feedbackbot.slack.blocks import usage_blocks
from feedbackbot.slack.listeners.wording import wording_reply


def wording_command(ack: Ack, command: dict[str, Any]) -> None:
    """Answer in the slash command's own response: ephemeral, seen only by the person who asked."""
    text = (command.get("text") or "").strip()
    fallback, blocks = wording_reply(text) if text else usage_blocks()
    ack(response_type="ephemeral", text=fallback, blocks=blocks)


def register(app: App) -> None:
    """Attach the slash commands."""
    app.command("/wording")(wording_command)
