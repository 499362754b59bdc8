"""Slack channel: the slack-bolt app, its listeners and Block Kit builders."""

from __future__ import annotations

import logging

from flask import Flask

log = logging.getLogger(__name__)

EXTENSION_KEY = "feedbackbot.slack"


def slack_enabled(app: Flask) -> bool:
    """Tell whether Slack is configured; without a token and signing secret it stays off."""
    return bool(app.config.get("SLACK_BOT_TOKEN") and app.config.get("SLACK_SIGNING_SECRET"))


def init_app(app: Flask) -> None:
    """Mount the Slack endpoint when configured; otherwise say so once in the log."""
    if not slack_enabled(app):
        app.extensions[EXTENSION_KEY] = None
        if not app.config.get("COMMAND_LINE"):  # a command would say it on every run: `doctor` reports it
            log.info("Slack features are off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn them on")
        return
    from feedbackbot.slack.app import build_bolt_app, register_endpoint

    bolt = build_bolt_app(app)
    app.extensions[EXTENSION_KEY] = bolt
    register_endpoint(app, bolt)
