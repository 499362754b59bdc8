"""A hanging Slack never reaches a young person: sends hold no database connection while they wait.

50 disclosures arrive at once while the mock Slack hangs on every call. The disclosures are
answered, ordinary chat turns stay quick, no PostgreSQL connection of the app sits "idle in
transaction", and the background senders stay a small fixed number of threads.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import create_engine, make_url, select, text

from feedbackbot.models import OutboxMessage, SafeguardingAlert
from feedbackbot.services import outbox
from tests.support import BACKEND, POSTGRES_URL
from tests.test_chat_api import ApiChat

DISCLOSURE = "my step dad hits me when he is drunk"
APP_NAME = "feedbackbot-outbox-hang-test"
pytestmark = pytest.mark.slow


@pytest.fixture
def app_config(slack_config, database):
    url = database.url
    if BACKEND == "postgresql":  # so pg_stat_activity can tell this app's connections apart
        url = make_url(url).update_query_dict({"application_name": APP_NAME}).render_as_string(False)
    return {
        **slack_config,
        "SQLALCHEMY_DATABASE_URI": url,
        "SLACK_TIMEOUT_SECONDS": 1,
        "RATELIMIT_ENABLED": False,
    }


def _stuck_in_transaction() -> int:
    """This app's connections that have sat in an open transaction, doing nothing, for 0.5 s or more."""
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            return conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name "
                    "AND state LIKE 'idle in transaction%' AND now() - state_change > interval '0.5 s'"
                ),
                {"name": APP_NAME},
            )
    finally:
        engine.dispose()


def test_a_hanging_slack_holds_no_connection_and_chat_turns_stay_quick(app, session, mock_slack):
    mock_slack.mode = "hang"
    mock_slack.hang_seconds = 5
    try:
        _fifty_disclosures_then_ordinary_turns(app, session)
    finally:
        mock_slack.mode = "ok"
        outbox.wait_for_background(60)
    # Slack came back: every alert was kept, and what had not gone out waits for the clock.
    session.expire_all()
    assert len(session.scalars(select(SafeguardingAlert)).all()) == 50
    rows = session.scalars(select(OutboxMessage)).all()
    assert len(rows) == 50
    assert all(r.status == "sent" or (r.status == "pending" and r.last_error) for r in rows)
    assert any(r.status == "sent" for r in rows)


def _fifty_disclosures_then_ordinary_turns(app, session) -> None:
    disclosed: list[int] = []
    errors: list[BaseException] = []

    def disclose() -> None:
        try:
            chat = ApiChat(app.test_client())
            disclosed.append(chat.send(text=DISCLOSURE).status_code)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    people = [threading.Thread(target=disclose) for _ in range(50)]
    for person in people:
        person.start()
    for person in people:
        person.join(60)
    assert errors == [] and disclosed == [200] * 50

    # Slack is still hanging on the senders: ordinary turns, and the database, do not notice.
    # (In a thread of its own, so each request has its own application context, as in a server.)
    turns: list[float] = []

    def chat_on() -> None:
        try:
            ordinary = ApiChat(app.test_client())
            for words in ["hello", "I have an idea", "a youth club on Fridays", "thanks", "ok"] * 4:
                started = time.perf_counter()
                assert ordinary.send(text=words).status_code == 200
                turns.append(time.perf_counter() - started)
        except BaseException as exc:
            errors.append(exc)

    talker = threading.Thread(target=chat_on)
    talker.start()
    stuck: list[int] = []
    while talker.is_alive():
        if BACKEND == "postgresql":
            stuck.append(_stuck_in_transaction())
        time.sleep(0.05)
    talker.join()
    assert errors == [] and len(turns) == 20
    assert outbox._queued, "the test must measure while Slack sends are still waiting"
    assert max(turns) < 1.0, turns  # each Slack call hangs for 1 s (the timeout) or more
    senders = [t for t in threading.enumerate() if t.name.startswith("outbox-send")]
    assert 0 < len(senders) <= outbox.SENDERS
    if BACKEND == "postgresql":
        assert stuck and stuck == [0] * len(stuck)
