"""A local stand-in for the Slack Web API, so the bot's calls are tested for real, offline.

It answers the methods the service uses (auth.test first of all, which bolt calls), records
every call, and can be switched to fail: HTTP 500, a Slack error, rate limiting, or hanging.
It runs in a thread of the test process and is reachable by subprocesses (clock processes).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


@dataclass
class Call:
    """One Web API call the bot made."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.time)
    accepted: bool = True  # False when the mock answered with an error


class MockSlack:
    """The server; `mode` decides how it answers (ok, error500, slack_error, ratelimit, hang)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.mode = "ok"
        self.hang_seconds = 3.0
        self.delay = 0.0  # seconds every call takes (to slow a clock down mid-run)
        self.retry_after = 1
        self.error_for: dict[str, str] = {}  # method -> Slack error it answers with
        self._lock = threading.Lock()
        self._ts = 1_700_000_000
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                mock._handle(self)

            def do_GET(self) -> None:
                mock._handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL for slack_sdk (`base_url`), ending in /api/."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/"

    def start(self) -> MockSlack:
        """Start serving in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls to one method, in order."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def reset(self) -> None:
        """Forget recorded calls and answer normally again."""
        with self._lock:
            self.calls.clear()
        self.mode = "ok"
        self.error_for.clear()

    # --- request handling ----------------------------------------------------------------------

    def _parse(self, request: BaseHTTPRequestHandler) -> dict[str, Any]:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode() if length else ""
        if not raw:
            return {}
        if (request.headers.get("Content-Type") or "").startswith("application/json"):
            return json.loads(raw)
        args: dict[str, Any] = {k: v[0] for k, v in parse_qs(raw).items()}
        for key in ("blocks", "attachments"):
            if isinstance(args.get(key), str):
                args[key] = json.loads(args[key])
        return args

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        method = request.path.rsplit("/", 1)[-1]
        args = self._parse(request)
        auth = request.headers.get("Authorization") or ""
        token = auth.removeprefix("Bearer ") or args.get("token")
        mode = self.mode
        if self.delay:
            time.sleep(self.delay)
        if mode == "hang":
            time.sleep(self.hang_seconds)
            return
        if mode == "post_then_hang" and method == "chat.postMessage":
            # Slack takes the message, but the answer never arrives: the sender cannot know.
            with self._lock:
                self.calls.append(Call(method, args, token))
            time.sleep(self.hang_seconds)
            return
        failing = (
            mode in {"error500", "ratelimit"}
            or method in self.error_for
            or (mode == "slack_error" and method != "auth.test")
        )
        with self._lock:
            self.calls.append(Call(method, args, token, accepted=not failing))
            self._ts += 1
            ts = f"{self._ts}.000100"
        if mode == "error500":
            self._reply(request, 500, {"ok": False, "error": "internal_error"})
        elif mode == "ratelimit":
            self._reply(
                request, 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(self.retry_after)}
            )
        elif method in self.error_for:
            self._reply(request, 200, {"ok": False, "error": self.error_for[method]})
        elif mode == "slack_error" and method != "auth.test":
            self._reply(request, 200, {"ok": False, "error": "channel_not_found"})
        elif method == "conversations.history":
            self._reply(request, 200, self._history(args))
        else:
            self._reply(request, 200, self._answer(method, args, ts))

    def posted(self, channel: str | None = None) -> list[Call]:
        """Messages the bot posted (optionally to one channel), in order."""
        return [
            c
            for c in self.calls_to("chat.postMessage")
            if c.accepted and (channel is None or self._channel_of(c) == channel)
        ]

    def posted_keys(self) -> list[str]:
        """The outbox keys of every message posted (sent as Slack message metadata)."""
        return [
            ((c.args.get("metadata") or {}).get("event_payload") or {}).get("key", "") for c in self.posted()
        ]

    @staticmethod
    def _channel_of(call: Call) -> str:
        channel = str(call.args.get("channel"))
        return "D" + channel[1:] if channel.startswith("U") else channel

    def _history(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        messages = []
        for i, call in enumerate(self.posted()):
            if self._channel_of(call) == channel:
                messages.append(
                    {
                        "ts": f"{1_700_000_000 + i}.000100",
                        "text": call.args.get("text"),
                        "metadata": call.args.get("metadata"),
                    }
                )
        return {"ok": True, "messages": list(reversed(messages)), "has_more": False}

    def _answer(self, method: str, args: dict[str, Any], ts: str) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://sandwell-test.slack.com/",
                "team": "Sandwell test",
                "user": "voices",
                "team_id": "T0TEST",
                "user_id": "UBOT",
                "bot_id": "BBOT",
            }
        if method == "chat.postMessage":
            return {
                "ok": True,
                "channel": args.get("channel"),
                "ts": ts,
                "message": {"text": args.get("text")},
            }
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        if method == "conversations.open":
            users = str(args.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users[1:]}}
        if method == "users.lookupByEmail":
            return {"ok": False, "error": "users_not_found"}
        return {"ok": True}

    @staticmethod
    def _reply(
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)
