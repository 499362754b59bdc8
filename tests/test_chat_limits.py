"""Rate limits on the chat API answer 429 with Retry-After (low limits set for these tests)."""

from __future__ import annotations

import pytest

from tests.openapi_check import assert_matches_openapi
from tests.test_chat_api import CONVERSATIONS, ApiChat


@pytest.fixture
def app_config():
    return {
        "CHAT_LIMIT_CONVERSATION": "3 per minute",
        "CHAT_LIMIT_START": "4 per minute",
        "STATUS_LIMIT": "2 per minute",
    }


def test_messages_per_conversation_are_limited_with_retry_after(client):
    chat = ApiChat(client)
    for _ in range(3):
        assert chat.send(text="hello").status_code == 200
    response = chat.send(text="hello")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    other = ApiChat(client)
    assert other.send(text="hello").status_code == 200  # another conversation is not held up


def test_starting_chats_is_limited_per_address(client):
    for _ in range(4):
        assert client.post(CONVERSATIONS).status_code == 201
    response = client.post(CONVERSATIONS)
    assert response.status_code == 429
    assert_matches_openapi(response, CONVERSATIONS, "post")
    assert "Retry-After" in response.headers


def test_guessing_codes_is_limited(client):
    for _ in range(2):
        assert (
            client.post(
                "/api/feedback/status", json={"reference": "VOS-2026-000001", "code": "AAAA-AAAA"}
            ).status_code
            == 404
        )
    assert (
        client.post(
            "/api/feedback/status", json={"reference": "VOS-2026-000001", "code": "AAAA-AAAA"}
        ).status_code
        == 429
    )
