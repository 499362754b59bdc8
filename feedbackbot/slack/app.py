"""Build the slack-bolt app and mount it on Flask at /slack/events."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, request
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_sdk import WebClient

from feedbackbot.extensions import csrf
from feedbackbot.slack import listeners


def web_client(app: Flask) -> WebClient:
    """A Slack Web API client for this app's token and API address (a mock in tests)."""
    base_url = app.config["SLACK_API_URL"]
    if not base_url.endswith("/"):
        base_url += "/"
    return WebClient(token=app.config["SLACK_BOT_TOKEN"], base_url=base_url, timeout=10)


def build_bolt_app(app: Flask) -> App:
    """Create the bolt app with every listener.

    The token is checked with auth.test on the first Slack request rather than at start-up,
    so the web app still starts (and young people can still use the chat) while Slack is down.
    Listeners run before the HTTP response is sent: they are quick, and it keeps database
    work inside the Flask request.
    """
    bolt = App(
        signing_secret=app.config["SLACK_SIGNING_SECRET"],
        client=web_client(app),
        token_verification_enabled=False,
        process_before_response=True,
        name="feedbackbot-slack",  # also bolt's logger name: not our package logger
    )
    listeners.register(bolt)
    return bolt


def register_endpoint(app: Flask, bolt: App) -> None:
    """Mount POST /slack/events (signature checked by bolt; CSRF does not apply)."""
    handler = SlackRequestHandler(bolt)
    bp = Blueprint("slack", __name__)

    @bp.post("/slack/events")
    def events() -> Response:
        """Hand Slack's request to bolt."""
        return handler.handle(request)

    csrf.exempt(bp)
    app.register_blueprint(bp)
