"""Statement and lock timeouts: a locked table makes Send answer quickly with a calm 503, never hang.

Another connection holds the `feedback` table (as a migration or a stuck session would). Send
answers within the statement timeout with the API's JSON error and Retry-After, nothing is
stored, and pressing Send again once the lock is gone saves the feedback once. /healthz
notices that the database cannot take a young person's message.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, func, select, text

from feedbackbot.extensions import db
from feedbackbot.models import Feedback
from tests.openapi_check import assert_matches_openapi
from tests.support import BACKEND
from tests.test_chat_api import MESSAGES, ApiChat

TIMEOUT = 1.0


@pytest.fixture
def app_config():
    return {"DB_STATEMENT_TIMEOUT": TIMEOUT}


@contextmanager
def feedback_locked(url: str) -> Iterator[None]:
    """Hold the feedback table from another connection, as a migration would."""
    db.session.rollback()  # the test's own session must not be the one holding anything
    db.session.remove()
    engine = create_engine(url)
    conn = engine.connect()
    try:
        if BACKEND == "postgresql":
            conn.execute(text("LOCK TABLE feedback IN ACCESS EXCLUSIVE MODE"))
        else:  # SQLite locks the whole database for writing
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()


def ready_to_send(client) -> ApiChat:
    chat = ApiChat(client)
    for step in ({"choice": "kind:good"}, {"text": "thank you sam"}, {"choice": "topic:worker"}):
        assert chat.send(**step).status_code == 200
    assert chat.send(choice="identity:anonymous").status_code == 200
    return chat


def test_send_with_feedback_locked_answers_within_the_timeout_and_stores_nothing(client, session, database):
    chat = ready_to_send(client)
    with feedback_locked(database.url):
        started = time.monotonic()
        response = client.post(
            f"/api/conversations/{chat.id}/messages", json={"choice": "confirm:send"}, headers=chat.headers
        )
        took = time.monotonic() - started
    assert response.status_code == 503, response.get_data(as_text=True)
    assert took < TIMEOUT + 2, took
    assert int(response.headers["Retry-After"]) >= 5  # (or the rate limit's window, if longer)
    assert response.json["error"] == {
        "status": 503,
        "message": "We're very busy just now and couldn't do that. Please try again in a moment.",
    }
    assert "VOS-" not in response.get_data(as_text=True)
    assert_matches_openapi(response, MESSAGES, "post")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0
    retry = chat.send(choice="confirm:send")
    assert retry.status_code == 200 and retry.json["reference"]
    assert session.scalar(select(func.count()).select_from(Feedback)) == 1


@pytest.mark.skipif(BACKEND != "postgresql", reason="SQLite readers are never blocked by a writer")
def test_pages_and_health_notice_a_locked_table(client, database):
    with feedback_locked(database.url):
        started = time.monotonic()
        live = client.get("/healthz/live")
        health = client.get("/healthz")
        assert time.monotonic() - started < 2 * TIMEOUT
        page = client.post("/check", data={"reference": "VOS-2026-000001", "code": "ABCD-EFGH"})
    assert live.status_code == 503 and live.json["checks"]["database"]["status"] == "unhealthy"
    assert health.status_code == 503 and health.json["checks"]["database"]["status"] == "unhealthy"
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "try again in a moment" in page.get_data(as_text=True)
    assert client.get("/healthz/live").status_code == 200


def test_every_connection_has_the_timeouts(app, session):
    if BACKEND == "postgresql":
        assert session.scalar(text("SHOW statement_timeout")) == "1s"
        assert session.scalar(text("SHOW lock_timeout")) == "1s"
    else:
        assert session.scalar(text("PRAGMA busy_timeout")) == 1000
