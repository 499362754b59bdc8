"""Test helpers shared by fixtures and by tests that need a database of their own."""

from __future__ import annotations

import os
import tempfile
import uuid
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from feedbackbot import create_app
from feedbackbot.core import timekeeping
from feedbackbot.core.understanding import Understanding, understanding_for
from feedbackbot.extensions import db

BACKEND = os.environ.get("FEEDBACKBOT_TEST_DB", "sqlite")
POSTGRES_URL = os.environ.get(
    "FEEDBACKBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


# The trained chat models are cached by the data files' hashes; every app and subprocess in a
# run (and later runs) share this folder instead of training again.
CACHE_DIR = Path(tempfile.gettempdir()) / "feedbackbot-test-cache"


@cache
def understanding() -> Understanding:
    """The chat's understanding as the service builds it, shared by the unit tests."""
    from feedbackbot.services.config import bundled

    return understanding_for(bundled(), cache_dir=CACHE_DIR)


def _postgres_schema_url(schema: str) -> str:
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


class Database:
    """A throwaway database (SQLite file or PostgreSQL schema) the tests may fill and empty."""

    def __init__(self, tmp_path: Path) -> None:
        self.backend = BACKEND
        if BACKEND == "sqlite":
            self.url = f"sqlite:///{tmp_path / f'test-{uuid.uuid4().hex[:8]}.sqlite3'}"
            self.schema = None
        elif BACKEND == "postgresql":
            self.schema = f"fbtest_{uuid.uuid4().hex[:12]}"
            engine = create_engine(POSTGRES_URL)
            try:
                with engine.begin() as conn:
                    conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            except OperationalError as exc:
                first = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
                pytest.exit(f"PostgreSQL is not reachable at {POSTGRES_URL}: {first}", returncode=1)
            finally:
                engine.dispose()
            self.url = _postgres_schema_url(self.schema)
        else:
            raise pytest.UsageError(f"FEEDBACKBOT_TEST_DB must be sqlite or postgresql, not {BACKEND}")

    def drop(self) -> None:
        """Remove the schema; SQLite files go with pytest's temporary folder."""
        if self.schema:
            engine = create_engine(POSTGRES_URL)
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            engine.dispose()


def make_test_app(database_url: str, instance_path: Path, **overrides: object) -> Flask:
    """Create an app for tests; Slack stays off unless a test turns it on."""
    config = {
        "ENV_NAME": "testing",
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(instance_path),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "CACHE_DIR": str(CACHE_DIR),
    }
    config.update(overrides)
    return create_app(config)


def migrate_to_head(app: Flask) -> None:
    """Create the schema the only supported way: through the migrations."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        db.engine.dispose()


def empty_all_tables() -> None:
    """Delete every row so the next test starts from an empty, migrated database."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


def today_is(day: date) -> None:
    """Freeze the service's clock at 10:00 UTC on this day, so working-day deadlines are fixed."""
    timekeeping.freeze(datetime(day.year, day.month, day.day, 10, tzinfo=UTC))
