"""POST /api/glossary/check: staff wording against the glossary."""

from __future__ import annotations

from flask import Response, current_app, jsonify

from feedbackbot.extensions import limiter
from feedbackbot.services.glossary import check_wording
from feedbackbot.web.api import bp, json_body, text_field


@bp.post("/glossary/check")
@limiter.limit("120 per minute")
def glossary_check() -> Response:
    """Give the findings and the suggested rewrite for `text`."""
    data = json_body()
    text = text_field(data, "text", max_chars=current_app.config["GLOSSARY_MAX_CHARS"])
    return jsonify(check_wording(text).to_dict())
