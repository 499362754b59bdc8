"""Trusted proxies: behind a router, rate limits key on each young person's own address.

Two young people reach the app through two proxies (the router adds the first address to
X-Forwarded-For, the second proxy its own). With FEEDBACKBOT_TRUSTED_PROXIES=2 each has a
limit of their own; without the setting the header is ignored and the router's address is the
only one seen.
"""

from __future__ import annotations

import pytest

from feedbackbot.extensions import db, limiter
from feedbackbot.settings import ConfigError, load_settings
from tests.support import empty_all_tables, make_test_app

ROUTER = "10.0.0.1"  # the proxy nearest the app: the address the app's socket sees
EDGE = "10.0.0.2"  # the first proxy, which the young people connect to
ASH = "203.0.113.5"
BEA = "203.0.113.9"


def start(client, person: str, claimed: str | None = None):
    forwarded = f"{person}, {EDGE}" if claimed is None else f"{claimed}, {person}, {EDGE}"
    return client.post(
        "/api/conversations",
        json={"channel": "api"},
        environ_base={"REMOTE_ADDR": ROUTER},
        headers={"X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"},
    )


@pytest.fixture
def app_with(database, tmp_path):
    made = []

    def make(**config):
        app = make_test_app(database.url, tmp_path / "instance", CHAT_LIMIT_START="2 per minute", **config)
        made.append(app)
        with app.app_context():
            limiter.reset()
        return app

    yield make
    for app in made:
        with app.app_context():
            empty_all_tables()
            db.engine.dispose()


def test_behind_two_trusted_proxies_two_young_people_have_separate_limits(app_with):
    client = app_with(TRUSTED_PROXIES=2).test_client()
    assert [start(client, ASH).status_code for _ in range(3)] == [201, 201, 429]
    assert start(client, BEA).status_code == 201
    # A young person cannot escape their limit by sending an X-Forwarded-For of their own.
    assert start(client, ASH, claimed="198.51.100.7").status_code == 429


def test_without_the_setting_x_forwarded_for_is_ignored(app_with):
    client = app_with().test_client()
    assert [start(client, ASH).status_code for _ in range(2)] == [201, 201]
    assert start(client, BEA).status_code == 429  # everyone is the router


def test_the_setting_must_be_a_small_number(tmp_path):
    for bad in ("-1", "many", "9"):
        with pytest.raises(ConfigError, match="FEEDBACKBOT_TRUSTED_PROXIES"):
            load_settings({"FEEDBACKBOT_TRUSTED_PROXIES": bad, "SECRET_KEY": "x"}, tmp_path)
