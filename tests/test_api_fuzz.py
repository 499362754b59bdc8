"""Schemathesis fuzzes the JSON API from its OpenAPI document: no 500, no answer outside the document.

Bounded by the number of generated requests per operation (10; about 5 s for the ~25 operations),
not by a timer: speed targets belong in benchmarks.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from feedbackbot.services import complaints as svc
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user, issue_api_token

EXAMPLES_PER_OPERATION = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def app_config():
    """Rate limits would turn most generated calls into 429s; they are tested on their own."""
    return {"RATELIMIT_ENABLED": False}


@pytest.mark.slow
def test_the_api_answers_every_generated_request_as_its_document_says(app):
    staff = create_staff_user("admin@trust.example", "admin", "a-long-enough-password")
    token = issue_api_token(staff, "fuzz")
    feedback = record_feedback(kind="complaint", text="nobody calls me back", channel="web_chat")
    svc.open_complaint(
        staff, feedback_reference=feedback.reference, procedure="statutory", relationship="self"
    )
    headers = {"Authorization": f"Bearer {token}"}

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        call()
