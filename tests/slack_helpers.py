"""Signed Slack requests, built the way Slack builds them, for tests of /slack/events."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"


def signature(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """Compute X-Slack-Signature for a body and timestamp."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post_signed(
    client: FlaskClient,
    body: str,
    content_type: str,
    *,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    tamper: bool = False,
) -> TestResponse:
    """POST to /slack/events with Slack's signature headers."""
    ts = int(time.time()) if timestamp is None else timestamp
    sig = signature(body, ts, secret)
    if tamper:
        sig = sig[:-4] + "0000"
    return client.post(
        "/slack/events",
        data=body,
        content_type=content_type,
        headers={"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sig},
    )


def slash_command(client: FlaskClient, command: str, text: str, **kwargs: Any) -> TestResponse:
    """Send a slash command as Slack does (form-encoded)."""
    body = urlencode(
        {
            "token": "legacy",
            "team_id": "T0TEST",
            "team_domain": "sandwell-test",
            "channel_id": "C0STAFF",
            "channel_name": "staff",
            "user_id": "U0STAFF",
            "user_name": "kim",
            "command": command,
            "text": text,
            "api_app_id": "A0APP",
            "response_url": "https://hooks.slack.invalid/commands/T0TEST/1/abc",
            "trigger_id": "1.2.3",
        }
    )
    return post_signed(client, body, "application/x-www-form-urlencoded", **kwargs)


def interaction(client: FlaskClient, payload: dict[str, Any], **kwargs: Any) -> TestResponse:
    """Send an interactive payload (shortcut, button) as Slack does."""
    body = urlencode({"payload": json.dumps(payload)})
    return post_signed(client, body, "application/x-www-form-urlencoded", **kwargs)


def event(client: FlaskClient, event_body: dict[str, Any], **kwargs: Any) -> TestResponse:
    """Send an Events API callback as Slack does (JSON)."""
    body = json.dumps(
        {
            "token": "legacy",
            "team_id": "T0TEST",
            "api_app_id": "A0APP",
            "event": event_body,
            "type": "event_callback",
            "event_id": "Ev0001",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0TEST", "user_id": "UBOT", "is_bot": True}],
        }
    )
    return post_signed(client, body, "application/json", **kwargs)
