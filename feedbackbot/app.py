"""The application factory: settings, extensions, blueprints, CLI commands and error pages."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

import feedbackbot.models  # noqa: F401  (registers every table on the metadata)
from feedbackbot.extensions import csrf, db, limiter, login_manager, migrate
from feedbackbot.settings import load_settings

PACKAGE_DIR = Path(__file__).resolve().parent
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"

log = logging.getLogger(__name__)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Make SQLite enforce foreign keys and let readers and a writer work at once."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL is durable across application crashes and skips an fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides what the environment says (tests use it)."""
    overrides = dict(config or {})
    instance_path = overrides.get("INSTANCE_PATH") or os.environ.get("FEEDBACKBOT_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
    )
    settings = load_settings(os.environ, Path(app.instance_path), overrides)
    app.config.update(settings)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on every 429
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = 256 * 1024  # no request body needs more; 413 beyond
    _configure_logging(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from feedbackbot import cli, slack, web
    from feedbackbot.services import config, glossary

    glossary.init_app(app)
    config.init_app(app)
    web.init_app(app)
    slack.init_app(app)
    cli.init_app(app)
    return app


def _configure_logging(app: Flask) -> None:
    level = str(app.config.get("LOG_LEVEL", "INFO")).upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app.logger.setLevel(level)
