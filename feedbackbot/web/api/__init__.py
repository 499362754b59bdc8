"""The JSON API for other front ends and staff tools; described by /api/openapi.json."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request

from feedbackbot.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api")
# The API authenticates with tokens (staff) or conversation secrets (chat), never cookies,
# so cross-site request forgery does not apply to it.
csrf.exempt(bp)


def json_body() -> dict[str, Any]:
    """Parse the request body as a JSON object, or stop with 400 and a plain explanation."""
    if not request.is_json:
        abort(400, description="Send a JSON body with Content-Type: application/json.")
    data = request.get_json(silent=True)
    if data is None:
        abort(400, description="The body is not valid JSON.")
    if not isinstance(data, dict):
        abort(400, description="The body must be a JSON object.")
    return data


def text_field(data: dict[str, Any], name: str, *, max_chars: int, required: bool = True) -> str:
    """Read a text field; 400 when missing or not text, 413 when longer than allowed."""
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        abort(400, description=f"`{name}` is required and must be a string.")
    if len(value) > max_chars:
        what = "Your message" if name == "text" else f"`{name}`"
        abort(
            413,
            description=f"{what} is longer than the {max_chars} characters we can take "
            f"({len(value)}): please make it shorter, or send it in two parts.",
        )
    return value


def init_app_routes() -> None:
    """Import the route modules so they attach to the blueprint."""
    from feedbackbot.web.api import chat, glossary, openapi, reports, staff  # noqa: F401
