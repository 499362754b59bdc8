"""The application factory: settings, extensions, blueprints, CLI commands and error pages."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from limits.errors import ConfigurationError as LimitsConfigurationError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

import feedbackbot.models  # noqa: F401  (registers every table on the metadata)
from feedbackbot.extensions import csrf, db, limiter, login_manager, migrate
from feedbackbot.settings import ConfigError, load_settings

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
    cursor.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL is durable across application crashes and skips an fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """Nothing waits on the database for longer than the statement timeout, a free connection included."""
    timeout = float(config["DB_STATEMENT_TIMEOUT"])
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_timeout": timeout}
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": max(1, round(timeout))}
    return options


def _timeouts(seconds: float) -> Any:
    """A connect listener giving every new connection the statement and lock timeouts."""
    milliseconds = max(1, int(seconds * 1000))

    def apply(dbapi_connection: Any, connection_record: Any) -> None:
        module = type(dbapi_connection).__module__
        cursor = dbapi_connection.cursor()
        if module.startswith("sqlite3"):
            cursor.execute(f"PRAGMA busy_timeout={milliseconds}")
        elif module.startswith("psycopg"):
            cursor.execute(f"SET statement_timeout = {milliseconds}")
            cursor.execute(f"SET lock_timeout = {milliseconds}")
            dbapi_connection.commit()  # psycopg opened a transaction for the SETs
        cursor.close()

    return apply


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
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _engine_options(app.config))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on every 429
    # A shared store (Redis) that goes away must not turn every chat message into a 500.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = 256 * 1024  # no request body needs more; 413 beyond
    _configure_logging(app)
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:  # only as many X-Forwarded-* entries as there are proxies of our own are believed
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    db.init_app(app)
    with app.app_context():
        event.listen(db.engine, "connect", _timeouts(app.config["DB_STATEMENT_TIMEOUT"]))
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    try:
        limiter.init_app(app)
    except LimitsConfigurationError as exc:  # an unknown scheme, or a client library not installed
        raise ConfigError(f"RATELIMIT_STORAGE_URI: {exc}") from None
    login_manager.init_app(app)

    from feedbackbot import cli, slack, web
    from feedbackbot.services import config, glossary

    glossary.init_app(app)
    config.init_app(app)
    web.init_app(app)
    slack.init_app(app)
    cli.init_app(app)
    return app


WARM_UP_TEXT = "we would like a youth club on friday evenings with pizza and games for everyone"


def warm_up(app: Flask) -> None:
    """Load now what first use would otherwise load inside a young person's request.

    lingua builds its language models on first detection (~4 s here, holding every thread of the
    worker) and the first run of the semantic model sets up its session; in the load test these
    showed as turns of 2-3 s at the start of each worker's life. Call once per web worker.
    """
    from feedbackbot.services.config import domain

    with app.app_context():
        config = domain()
        config.language_reader.detect(WARM_UP_TEXT)
        config.understanding.assess_risk(WARM_UP_TEXT)
        config.understanding.classify(WARM_UP_TEXT)


def settle_memory() -> None:
    """Move what was loaded at start out of the garbage collector's way, in a long-running process.

    The models hold ~400,000 objects; every full collection would walk them all (0.1-0.4 s measured
    here), a pause landing in whatever request or sweep is running. Call once, after the app is
    built: in each web worker (gunicorn_conf.py) and in the clock. Not in tests: they build many apps.
    """
    gc.collect()
    gc.freeze()


def _configure_logging(app: Flask) -> None:
    level = str(app.config.get("LOG_LEVEL", "INFO")).upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app.logger.setLevel(level)
