"""The edge's rules for bytes and numbers no view should ever see, in one place for every route.

- Text with a NUL byte or a lone surrogate (neither can be stored in PostgreSQL, and neither is
  something a person typed) is refused with a 400 that says which field, in any path parameter,
  query parameter, form field or JSON value or key.
- `int` path parameters are bounded to the database's integer column: a larger id matches no
  route, so it is a 404 like any other id that does not exist.
- Slack's timestamp header must be a number, or the request is unauthenticated (401) before
  any signature check runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, Map

from feedbackbot.models.base import DB_INT_MAX

_BAD_TEXT = re.compile(r"[\x00\ud800-\udfff]")
_SLACK_TIMESTAMP = re.compile(r"[0-9]{1,15}")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` that only matches ids the database can hold (1 .. 2**31-1)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def bad_text(value: str) -> bool:
    """True for text that holds a NUL byte or a lone surrogate."""
    return _BAD_TEXT.search(value) is not None


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string (keys too) inside a JSON value, with where it was found."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{where}.{key}" if where else str(key)
            yield name, str(key)
            yield from _strings(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


def _request_strings() -> Iterator[tuple[str, str]]:
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            yield name, value
    for name, value in request.args.items(multi=True):
        yield name, name
        yield name, value
    if request.mimetype in FORM_TYPES:
        request.get_data(cache=True)  # keep the raw body for whoever needs it (Slack's signature)
        for name, value in request.form.items(multi=True):
            yield name, name
            yield name, value
    if request.is_json:
        yield from _strings(request.get_json(silent=True), "")


def refuse_bad_text() -> None:
    """Stop the request with a 400 when any text in it holds a NUL byte or a lone surrogate."""
    for name, value in _request_strings():
        if bad_text(value):
            field = f"`{name}`" if name else "The body"
            abort(
                400,
                description=f"{field} holds a character that cannot be stored (a NUL byte or a "
                "broken character). Please remove it and try again.",
            )


def require_numeric_slack_timestamp() -> None:
    """A Slack request whose timestamp header is not a number cannot be signed: 401 at once."""
    timestamp = request.headers.get("X-Slack-Request-Timestamp")
    if timestamp is not None and not _SLACK_TIMESTAMP.fullmatch(timestamp.strip()):
        abort(401, description="The request is not signed by Slack.")


def _guard() -> None:
    refuse_bad_text()
    if request.endpoint == "slack.events":
        require_numeric_slack_timestamp()


def install_converters(app: Flask) -> None:
    """Bound `<int:...>` ids before any route is registered."""
    app.url_map.converters["int"] = DatabaseIdConverter


def init_app(app: Flask) -> None:
    """Run the rules before every view (and before every blueprint's own hooks)."""
    app.before_request(_guard)
