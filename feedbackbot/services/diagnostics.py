"""What `feedbackbot doctor` reports: the configuration as the app sees it, and whether it is healthy.

Read-only. Each check gives ok, warn (works, but someone should look) or fail (the service is not
healthy); the command exits non-zero on any fail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app

from feedbackbot.services import heartbeat

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    status: str
    detail: str

    def to_dict(self) -> dict[str, str]:
        """JSON shape."""
        return {"name": self.name, "status": self.status, "detail": self.detail}


def configuration() -> list[Check]:
    """The settings that decide how the service behaves (no secrets: the database password is hidden)."""
    from sqlalchemy.engine import make_url

    config = current_app.config
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    checks = [
        Check("environment", OK, config["ENV_NAME"]),
        Check("database url", OK, url.render_as_string(hide_password=True)),
        Check("instance folder", OK, config["INSTANCE_PATH"]),
        Check("cache folder", OK, config["CACHE_DIR"]),
        Check("time zone", OK, config["TIMEZONE"]),
        Check("rate-limit storage", OK, config["RATELIMIT_STORAGE_URI"].split("@")[-1]),
    ]
    if config.get("SLACK_BOT_TOKEN") and config.get("SLACK_SIGNING_SECRET"):
        channels = [
            key
            for key in ("SLACK_COMPLAINTS_CHANNEL", "SLACK_MANAGERS_CHANNEL", "SLACK_SAFEGUARDING_CHANNEL")
            if not config.get(key)
        ]
        if channels:
            checks.append(Check("slack", WARN, f"on, but {', '.join(channels)} not set"))
        else:
            checks.append(Check("slack", OK, f"on ({config['SLACK_API_URL']})"))
    else:
        checks.append(Check("slack", WARN, "off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on"))
    if config["ENV_NAME"] == "production" and str(url).startswith("sqlite"):
        checks.append(Check("database kind", WARN, "SQLite in production: use PostgreSQL"))
    return checks


def migration_state() -> Check:
    """Whether the database's schema is at the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from feedbackbot.extensions import db

    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    heads = set(script.get_heads())
    quiet = logging.getLogger("alembic.runtime.migration")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # not "Context impl SQLiteImpl." in the middle of the report
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        quiet.setLevel(level)
    if current == heads:
        return Check("migrations", OK, f"at head {', '.join(sorted(heads))}")
    found = ", ".join(sorted(current)) or "none"
    return Check(
        "migrations",
        FAIL,
        f"database at {found}, code at {', '.join(sorted(heads))}: run `feedbackbot db upgrade`",
    )


def model_files() -> list[Check]:
    """The semantic model and tokenizer, checked against the sha256 in intents/understanding.yaml."""
    from feedbackbot.core.embedding import file_sha256
    from feedbackbot.services.config import domain

    files = domain().understanding.config.model
    checks = []
    for label, path, expected in (
        ("model file", files.model, files.model_sha256),
        ("tokenizer file", files.tokenizer, files.tokenizer_sha256),
    ):
        actual = file_sha256(path) if path.is_file() else None
        if actual == expected.lower():
            checks.append(Check(label, OK, f"{path} sha256 {actual}"))
        else:
            checks.append(Check(label, FAIL, f"{path} sha256 {actual or 'missing'}, expected {expected}"))
    return checks


def health_checks() -> list[Check]:
    """The database, the clock's heartbeat and the notification backlog, as /healthz sees them."""
    result = heartbeat.health()
    database = result.checks["database"]
    checks = [
        Check(
            "database",
            OK if database["status"] == "ok" else FAIL,
            "answers, and the chat's tables can be written"
            if database["status"] == "ok"
            else f"{database.get('message')} ({database.get('error')})",
        )
    ]
    if database["status"] != "ok":
        return checks
    checks.append(migration_state())
    clock_check: dict[str, Any] = result.checks["clock"]
    if clock_check["status"] == "ok":
        checks.append(
            Check(
                "clock", OK, f"last heartbeat {clock_check['seconds_ago']} s ago ({clock_check['last_job']})"
            )
        )
    else:
        checks.append(Check("clock", FAIL, clock_check.get("message", "not running")))
    backlog: dict[str, Any] = result.checks["notifications"]
    detail = f"{backlog['pending']} pending"
    if "oldest_seconds" in backlog:
        detail += f", oldest waiting {backlog['oldest_seconds']} s"
    if backlog.get("last_error"):
        detail += f", last error: {backlog['last_error']}"
    checks.append(Check("notifications", WARN if backlog["status"] != "ok" else OK, detail))
    return checks


def report() -> list[Check]:
    """Everything doctor shows, configuration first."""
    return [*configuration(), *model_files(), *health_checks()]
