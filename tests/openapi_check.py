"""Check real API answers against /api/openapi.json, so the document matches what the API does."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from werkzeug.test import TestResponse

from feedbackbot.web.api.openapi import openapi_document


def _response_spec(path: str, method: str, status: int) -> dict[str, Any]:
    document = openapi_document()
    operation = document["paths"][path][method.lower()]
    responses = operation["responses"]
    assert str(status) in responses, f"{method} {path} answered {status}, which the document does not list"
    spec = responses[str(status)]
    if "$ref" in spec:
        spec = document["components"]["responses"][spec["$ref"].rsplit("/", 1)[-1]]
    return spec


def assert_matches_openapi(response: TestResponse, path: str, method: str) -> None:
    """The status is documented for the operation and the JSON body fits its schema."""
    spec = _response_spec(path, method, response.status_code)
    schema = spec["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": openapi_document()["components"]})
    errors = sorted(validator.iter_errors(response.get_json()), key=str)
    assert errors == [], [e.message for e in errors]
    for header in spec.get("headers", {}):
        assert header in response.headers, f"{header} is documented but missing"
