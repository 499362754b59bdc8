"""Shared fixtures, flaskr style: a migrated database per run, a fresh app and client per test.

The database backend comes from FEEDBACKBOT_TEST_DB (sqlite or postgresql); the test script
runs the whole suite once for each. PostgreSQL runs use a throwaway schema in the `test`
database, so parallel runs and other users of that database are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from feedbackbot.extensions import db, limiter
from tests.mock_slack import MockSlack
from tests.slack_helpers import BOT_TOKEN, SIGNING_SECRET
from tests.support import BACKEND, Database, empty_all_tables, make_test_app, migrate_to_head


def pytest_report_header(config: pytest.Config) -> str:
    return f"feedbackbot test database: {BACKEND}"


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One migrated database for the whole run."""
    database = Database(tmp_path_factory.mktemp("db"))
    app = make_test_app(database.url, tmp_path_factory.mktemp("instance"))
    migrate_to_head(app)
    yield database
    database.drop()


@pytest.fixture
def app_config() -> dict[str, object]:
    """Per-test config overrides; a test overrides this fixture to switch features on."""
    return {}


@pytest.fixture
def app(database: Database, tmp_path: Path, app_config: dict[str, object]) -> Iterator[Flask]:
    """A fresh app on the migrated database; every table is emptied afterwards."""
    app = make_test_app(database.url, tmp_path / "instance", **app_config)
    with app.app_context():
        limiter.reset()
        yield app
        db.session.rollback()
        empty_all_tables()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """HTTP client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs the app's CLI commands in-process."""
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask):
    """The database session the services use."""
    return db.session


@pytest.fixture
def mock_slack() -> Iterator[MockSlack]:
    """A local Slack Web API that records what the bot sends."""
    server = MockSlack().start()
    yield server
    server.stop()


@pytest.fixture
def slack_config(mock_slack: MockSlack) -> dict[str, object]:
    """App settings that turn Slack on, pointed at the mock server."""
    return {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": mock_slack.url,
        "SLACK_COMPLAINTS_CHANNEL": "C0COMPLAINTS",
        "SLACK_MANAGERS_CHANNEL": "C0MANAGERS",
        "SLACK_SAFEGUARDING_CHANNEL": "C0DUTY",
        "SLACK_SAFEGUARDING_ESCALATION_CHANNEL": "C0WIDER",
    }
