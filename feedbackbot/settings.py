"""Settings from environment variables, with safe defaults for a one-machine install."""

from __future__ import annotations

import logging
import os
import secrets
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)

ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(Exception):
    """Raised for a setting an operator must fix; the CLI prints it as one line, exit code 2."""


def _text(value: str) -> str:
    return value.strip()


def _web_address(value: str) -> str:
    value = value.strip()
    if not value.startswith(("https://", "http://")):
        raise ValueError(f"expected a web address starting https://, got {value!r}")
    return value


def _int(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ValueError(f"expected a whole number, got {value!r}") from None


def _seconds(value: str) -> float:
    try:
        seconds = float(value.strip())
    except ValueError:
        raise ValueError(f"expected a number of seconds, got {value!r}") from None
    if not 0 < seconds <= 600:
        raise ValueError(f"expected a number of seconds between 0 and 600, got {value!r}")
    return seconds


def _hops(value: str) -> int:
    hops = _int(value)
    if not 0 <= hops <= 5:
        raise ValueError(f"expected the number of proxies in front of the app, 0 to 5, got {value!r}")
    return hops


def _csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _dates(value: str) -> list[date]:
    out = []
    for part in _csv(value):
        try:
            out.append(date.fromisoformat(part))
        except ValueError:
            raise ValueError(f"expected dates as YYYY-MM-DD, got {part!r}") from None
    return out


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


@dataclass(frozen=True)
class Setting:
    """One environment variable: where it lands in Flask config, its default, and what it is for."""

    env: str
    key: str
    default: Any
    parse: Callable[[str], Any]
    doc: str


# Every environment variable the service reads. The README's configuration table is
# checked against this list by a test, so the two cannot drift apart.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "FEEDBACKBOT_ENV",
        "ENV_NAME",
        "development",
        _text,
        "development, production or testing; production refuses to start without SECRET_KEY. "
        "FLASK_ENV is read when this is unset.",
    ),
    Setting(
        "SECRET_KEY",
        "SECRET_KEY",
        None,
        _text,
        "Signs sessions and CSRF tokens. Development generates one and keeps it in the instance folder.",
    ),
    Setting(
        "DATABASE_URL",
        "SQLALCHEMY_DATABASE_URI",
        None,
        _text,
        "SQLAlchemy URL. Default: SQLite file `feedbackbot.sqlite3` in the instance folder. "
        "`postgres://` and `postgresql://` use the psycopg 3 driver.",
    ),
    Setting(
        "FEEDBACKBOT_INSTANCE_PATH",
        "INSTANCE_PATH",
        None,
        _text,
        "Folder for the SQLite file, the development secret key and caches.",
    ),
    Setting(
        "FEEDBACKBOT_TIMEZONE",
        "TIMEZONE",
        "Europe/London",
        _text,
        "Time zone for deadlines, working hours and dates shown to people.",
    ),
    Setting(
        "FEEDBACKBOT_BASE_URL",
        "BASE_URL",
        "http://127.0.0.1:5000",
        _text,
        "Public address of the web app, used in links sent to Slack.",
    ),
    Setting(
        "SLACK_BOT_TOKEN",
        "SLACK_BOT_TOKEN",
        None,
        _text,
        "Bot token (xoxb-...). Without it and SLACK_SIGNING_SECRET the Slack features are off.",
    ),
    Setting(
        "SLACK_SIGNING_SECRET",
        "SLACK_SIGNING_SECRET",
        None,
        _text,
        "Verifies that requests to /slack/events come from Slack.",
    ),
    Setting(
        "SLACK_API_URL",
        "SLACK_API_URL",
        "https://slack.com/api/",
        _text,
        "Slack Web API base URL (a local mock in tests).",
    ),
    Setting(
        "SLACK_COMPLAINTS_CHANNEL",
        "SLACK_COMPLAINTS_CHANNEL",
        None,
        _text,
        "Channel id for complaint reminders and the daily digest.",
    ),
    Setting(
        "SLACK_MANAGERS_CHANNEL",
        "SLACK_MANAGERS_CHANNEL",
        None,
        _text,
        "Channel id for escalations and the weekly managers' digest.",
    ),
    Setting(
        "SLACK_SAFEGUARDING_CHANNEL",
        "SLACK_SAFEGUARDING_CHANNEL",
        None,
        _text,
        "Channel id of the people on duty, alerted at once on a disclosure of harm.",
    ),
    Setting(
        "SLACK_SAFEGUARDING_ESCALATION_CHANNEL",
        "SLACK_SAFEGUARDING_ESCALATION_CHANNEL",
        None,
        _text,
        "Wider group re-notified while a safeguarding alert is unacknowledged.",
    ),
    Setting(
        "RATELIMIT_STORAGE_URI",
        "RATELIMIT_STORAGE_URI",
        "memory://",
        _text,
        "Flask-Limiter storage; use redis://... when several web processes run.",
    ),
    Setting(
        "FEEDBACKBOT_DB_STATEMENT_TIMEOUT",
        "DB_STATEMENT_TIMEOUT",
        5.0,
        _seconds,
        "Longest a database statement, or a wait for a lock, may take (seconds); then the request "
        "is answered with 503 and Retry-After instead of hanging. PostgreSQL's statement_timeout "
        "and lock_timeout; SQLite's busy timeout. Migrations have no statement limit.",
    ),
    Setting(
        "FEEDBACKBOT_TRUSTED_PROXIES",
        "TRUSTED_PROXIES",
        0,
        _hops,
        "How many proxies (load balancer, router) stand in front of the app and add "
        "X-Forwarded-For and X-Forwarded-Proto. 0 (the default) ignores those headers; with N, the "
        "address N hops back is the young person's, and rate limits key on it. Set it to exactly "
        "the number of proxies: more lets a caller choose its own address.",
    ),
    Setting("FEEDBACKBOT_LOG_LEVEL", "LOG_LEVEL", "INFO", _text, "Python logging level."),
    Setting(
        "FEEDBACKBOT_PROCEDURES_FILE",
        "PROCEDURES_FILE",
        None,
        _text,
        "Complaint procedures and promised timescales (YAML). Default: the bundled "
        "feedbackbot/data/procedures.yaml.",
    ),
    Setting(
        "FEEDBACKBOT_RETENTION_FILE",
        "RETENTION_FILE",
        None,
        _text,
        "How long each kind of record is kept and what happens then (YAML); the privacy page is "
        "written from it. Default: the bundled feedbackbot/data/retention.yaml.",
    ),
    Setting(
        "FEEDBACKBOT_LOGIN_LIMIT_ACCOUNT",
        "LOGIN_LIMIT_ACCOUNT",
        "10 per 15 minutes",
        _text,
        "Wrong passwords allowed for one account, from any number of addresses (Flask-Limiter "
        "syntax); then that account's sign-in answers 429 until the window passes.",
    ),
    Setting(
        "FEEDBACKBOT_CLOSURE_DAYS",
        "CLOSURE_DAYS",
        [],
        _dates,
        "Extra days the Trust is closed, as YYYY-MM-DD (comma-separated); not working days.",
    ),
    Setting(
        "FEEDBACKBOT_MAX_MESSAGE_CHARS",
        "MAX_MESSAGE_CHARS",
        2000,
        _int,
        "Longest chat message, in characters (413 beyond).",
    ),
    Setting(
        "FEEDBACKBOT_CHAT_LIMIT_START",
        "CHAT_LIMIT_START",
        "10 per minute;100 per day",
        _text,
        "How many chats one address may start (Flask-Limiter syntax); 429 with Retry-After beyond.",
    ),
    Setting(
        "FEEDBACKBOT_CHAT_LIMIT_CONVERSATION",
        "CHAT_LIMIT_CONVERSATION",
        "30 per minute",
        _text,
        "Messages per conversation.",
    ),
    Setting(
        "FEEDBACKBOT_CHAT_LIMIT_ADDRESS",
        "CHAT_LIMIT_ADDRESS",
        "120 per minute",
        _text,
        "Chat messages per address, across conversations.",
    ),
    Setting(
        "FEEDBACKBOT_STATUS_LIMIT",
        "STATUS_LIMIT",
        "10 per minute;50 per day",
        _text,
        "Reference-and-code look-ups per address (guards the codes against guessing).",
    ),
    Setting(
        "FEEDBACKBOT_SAFE_WORD",
        "SAFE_WORD",
        "help me",
        _text,
        "A message that is just this goes straight to the safeguarding path, at any step.",
    ),
    Setting(
        "FEEDBACKBOT_QUICK_EXIT_URL",
        "QUICK_EXIT_URL",
        "https://www.bbc.co.uk/weather",
        _web_address,
        'Where "Leave this site quickly" lands, after /leave has forgotten the chat kept in the browser.',
    ),
    Setting(
        "FEEDBACKBOT_DUTY_PHONE",
        "DUTY_PHONE",
        None,
        _text,
        "The Trust's duty number given to a young person at risk; required in production.",
    ),
    Setting(
        "FEEDBACKBOT_OUT_OF_HOURS_PHONE",
        "OUT_OF_HOURS_PHONE",
        None,
        _text,
        "The out-of-hours (emergency duty) number; required in production.",
    ),
    Setting(
        "FEEDBACKBOT_SAFEGUARDING_RENOTIFY_MINUTES",
        "SAFEGUARDING_RENOTIFY_MINUTES",
        15,
        _int,
        "An unacknowledged safeguarding alert is sent again to the wider group this often.",
    ),
    Setting(
        "FEEDBACKBOT_OUTBOX_SEND_IMMEDIATELY",
        "OUTBOX_SEND_IMMEDIATELY",
        True,
        _bool,
        "Send notifications right after they are committed (in the background); the clock retries.",
    ),
    Setting(
        "FEEDBACKBOT_OUTBOX_RETRY_SECONDS",
        "OUTBOX_RETRY_SECONDS",
        30,
        _int,
        "First wait before retrying a failed notification; doubles each time.",
    ),
    Setting(
        "FEEDBACKBOT_OUTBOX_RETRY_MAX_SECONDS",
        "OUTBOX_RETRY_MAX_SECONDS",
        900,
        _int,
        "Longest wait between retries of a notification.",
    ),
    Setting(
        "FEEDBACKBOT_CLOCK_STALE_MINUTES",
        "CLOCK_STALE_MINUTES",
        10,
        _int,
        "/healthz says unhealthy when the clock has been silent longer than this.",
    ),
    Setting(
        "FEEDBACKBOT_OUTBOX_STALE_MINUTES",
        "OUTBOX_STALE_MINUTES",
        15,
        _int,
        "/healthz says degraded when a failing notification has waited longer than this.",
    ),
    Setting(
        "FEEDBACKBOT_CLOCK_NOW",
        "CLOCK_NOW",
        None,
        _text,
        "Testing only (FEEDBACKBOT_ENV=testing): run the clock as if it were this ISO time.",
    ),
    Setting(
        "SLACK_TIMEOUT_SECONDS",
        "SLACK_TIMEOUT_SECONDS",
        10,
        _int,
        "How long a Slack API call may take before it counts as failed.",
    ),
    Setting(
        "FEEDBACKBOT_GLOSSARY_FILES",
        "GLOSSARY_FILES",
        [],
        _csv,
        "Extra glossary YAML files (comma-separated) with the Trust's own terms, added to the bundled ones.",
    ),
    Setting(
        "FEEDBACKBOT_GLOSSARY_DISABLED",
        "GLOSSARY_DISABLED",
        [],
        _csv,
        "Glossary term ids to switch off (comma-separated), e.g. `respite`.",
    ),
    Setting(
        "FEEDBACKBOT_GLOSSARY_MAX_CHARS",
        "GLOSSARY_MAX_CHARS",
        50_000,
        _int,
        "Longest text the glossary API and page accept, in characters (413 beyond).",
    ),
    Setting(
        "FEEDBACKBOT_CACHE_DIR",
        "CACHE_DIR",
        None,
        _text,
        "Folder for what is worked out from the data files (the trained chat models). "
        "Default: `cache` in the instance folder.",
    ),
    Setting(
        "FEEDBACKBOT_EMBEDDING_MODEL",
        "EMBEDDING_MODEL",
        None,
        _text,
        "Path to the sentence-embedding model file, if not the one installed with the project; "
        "it must have the sha256 in intents/understanding.yaml.",
    ),
)


def settings_table() -> list[Setting]:
    """Give the documented settings, for the README check and `feedbackbot config`."""
    return list(SETTINGS)


def _environment_name(environ: Mapping[str, str]) -> str:
    name = (environ.get("FEEDBACKBOT_ENV") or environ.get("FLASK_ENV") or "development").strip()
    name = name.lower()
    if name not in ENVIRONMENTS:
        raise ConfigError(f"FEEDBACKBOT_ENV must be one of {', '.join(ENVIRONMENTS)}; got {name!r}")
    return name


def normalise_database_url(raw: str) -> str:
    """Pick the psycopg 3 driver for bare PostgreSQL URLs, as hosting platforms hand them out."""
    from sqlalchemy.engine import make_url  # here: commands without a database never import SQLAlchemy
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL is not a database URL (expected e.g. "
            "postgresql://user@host/dbname or sqlite:////path/to/file.sqlite3)"
        ) from None
    if url.drivername in {"postgres", "postgresql"}:
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in {"postgresql", "sqlite"}:
        raise ConfigError(
            f"DATABASE_URL uses {url.get_backend_name()!r}; only PostgreSQL and SQLite are supported"
        )
    return url.render_as_string(hide_password=False)


def _secret_key(env_name: str, given: str | None, instance_path: Path) -> str:
    if given:
        return given
    if env_name == "production":
        raise ConfigError(
            "SECRET_KEY is not set; production refuses to start without one "
            "(generate one with: python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key + "\n")
    key_file.chmod(0o600)
    log.info("generated a development SECRET_KEY in %s", key_file)
    return key


def _parse_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Every documented setting from the environment, or its default."""
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is None or raw.strip() == "":
            config[setting.key] = setting.default
            continue
        try:
            config[setting.key] = setting.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{setting.env}: {exc}") from None
    return config


def default_instance_path() -> Path:
    """The instance folder Flask gives the app when none is set (its find_package rule, without Flask).

    Next to the package when it is not installed (a checkout), else <prefix>/var/feedbackbot.app-instance.
    """
    package_path = Path(__file__).resolve().parent.parent
    prefix = Path(os.path.abspath(sys.prefix))
    if package_path.is_relative_to(prefix):
        return prefix / "var" / "feedbackbot.app-instance"
    if package_path.name.lower() == "site-packages":
        parent = package_path.parent
        if parent.name.lower() == "lib":
            return parent.parent / "var" / "feedbackbot.app-instance"
        if parent.parent.name.lower() == "lib":
            return parent.parent.parent / "var" / "feedbackbot.app-instance"
        return parent / "var" / "feedbackbot.app-instance"
    return package_path / "instance"


def standalone_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings a command needs without the web app or the database (glossary, timescales, chat).

    No secret key is read or made and the database URL is not looked at.
    """
    config = _parse_environment(environ)
    config["ENV_NAME"] = _environment_name(environ)
    instance_path = Path(config["INSTANCE_PATH"]) if config["INSTANCE_PATH"] else default_instance_path()
    config["INSTANCE_PATH"] = str(instance_path)
    config["CACHE_DIR"] = str(config.get("CACHE_DIR") or instance_path / "cache")
    return config


def load_settings(
    environ: Mapping[str, str],
    instance_path: Path,
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the Flask config from the environment; raise ConfigError on anything unusable."""
    config = _parse_environment(environ)
    config["ENV_NAME"] = _environment_name(environ)
    config.update(overrides or {})
    env_name = config["ENV_NAME"]
    if env_name not in ENVIRONMENTS:
        raise ConfigError(f"ENV_NAME must be one of {', '.join(ENVIRONMENTS)}; got {env_name!r}")
    if config["INSTANCE_PATH"]:
        instance_path = Path(config["INSTANCE_PATH"])
    config["INSTANCE_PATH"] = str(instance_path)
    config["SECRET_KEY"] = _secret_key(env_name, config["SECRET_KEY"], instance_path)
    config["CACHE_DIR"] = str(config.get("CACHE_DIR") or instance_path / "cache")
    if config["SQLALCHEMY_DATABASE_URI"] is None:
        instance_path.mkdir(parents=True, exist_ok=True)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance_path / 'feedbackbot.sqlite3'}"
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    try:
        ZoneInfo(config["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"FEEDBACKBOT_TIMEZONE: unknown time zone {config['TIMEZONE']!r}") from None
    if env_name == "production":
        missing = [
            n
            for n, k in (
                ("FEEDBACKBOT_DUTY_PHONE", "DUTY_PHONE"),
                ("FEEDBACKBOT_OUT_OF_HOURS_PHONE", "OUT_OF_HOURS_PHONE"),
            )
            if not config.get(k)
        ]
        if missing:
            raise ConfigError(
                f"{' and '.join(missing)} must be set in production: the chat gives these numbers "
                "to a young person who is not safe"
            )
    if config.get("CLOCK_NOW") and env_name != "testing":
        raise ConfigError("FEEDBACKBOT_CLOCK_NOW is for tests only (FEEDBACKBOT_ENV=testing)")
    config.setdefault("TESTING", env_name == "testing")
    config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    config.setdefault("SESSION_COOKIE_SECURE", env_name == "production")
    return config


def environ() -> Mapping[str, str]:
    """Read the process environment; a seam so tests can pass their own mapping."""
    return os.environ
