"""GET /api/openapi.json: the API description, kept beside the code and checked against it by tests."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from flask import Response, jsonify

from feedbackbot.web.api import bp


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document (read once from openapi.yaml)."""
    text = (resources.files("feedbackbot") / "web" / "api" / "openapi.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """Serve the OpenAPI document."""
    return jsonify(openapi_document())
