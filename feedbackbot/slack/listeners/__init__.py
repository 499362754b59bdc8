"""Slack listeners, by kind (bolt-python samples layout): each parses, calls a service, replies."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    """Attach every listener to the bolt app."""
    from feedbackbot.slack.listeners import actions, commands, messages, shortcuts

    actions.register(app)
    commands.register(app)
    shortcuts.register(app)
    messages.register(app)
