"""The foundation: settings, references, staff accounts, demo data and the CLI's error handling."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from feedbackbot import create_app
from feedbackbot.models import AuditEvent, Feedback, StaffUser
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import authenticate
from feedbackbot.settings import SETTINGS, ConfigError
from tests.support import CACHE_DIR, Database, migrate_to_head

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "feedbackbot", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FEEDBACKBOT_", "SLACK_", "DATABASE_URL", "SECRET_KEY", "FLASK_"))
    }
    env["FEEDBACKBOT_INSTANCE_PATH"] = str(tmp_path / "instance")
    env["FEEDBACKBOT_CACHE_DIR"] = str(CACHE_DIR)  # the chat models, trained once for the suite
    env.update(extra)
    return env


# --- settings -------------------------------------------------------------------------------


def test_production_without_secret_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FEEDBACKBOT_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_flask_env_production_is_honoured_too(tmp_path, monkeypatch):
    monkeypatch.delenv("FEEDBACKBOT_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_development_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FEEDBACKBOT_ENV", raising=False)
    monkeypatch.delenv("FLASK_ENV", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/feedbackbot.sqlite3"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example/fb", "postgresql+psycopg://u:p@db.example/fb"),
        ("postgresql://u@db.example/fb", "postgresql+psycopg://u@db.example/fb"),
    ],
)
def test_postgres_urls_use_psycopg3(tmp_path, monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


def test_unsupported_database_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(ConfigError, match="only PostgreSQL and SQLite"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})


def test_bad_number_setting_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("FEEDBACKBOT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError, match="FEEDBACKBOT_TIMEZONE"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})


def test_slack_off_without_settings_is_logged_not_fatal(tmp_path, monkeypatch, caplog):
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with caplog.at_level("INFO"):
        app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.extensions["feedbackbot.slack"] is None
    assert "Slack features are off" in caplog.text
    assert app.test_client().post("/slack/events").status_code == 404


def test_readme_documents_every_environment_variable():
    readme = (ROOT / "README.md").read_text()
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in readme]
    assert missing == []


# --- references and feedback ----------------------------------------------------------------


def test_references_count_up_within_a_year(app, session):
    first = record_feedback(kind="idea", text="a youth club", channel="web_chat")
    second = record_feedback(kind="compliment", text="thanks Kez", channel="web_chat")
    year = datetime.now(UTC).year
    assert first.reference == f"VOS-{year}-000001"
    assert second.reference == f"VOS-{year}-000002"


def test_references_restart_each_year_in_london_time(app, session):
    # 23:30 UTC on 31 December 2026 is still 2026 in London (GMT); 00:30 on 1 January is 2027.
    late = record_feedback(
        kind="idea",
        text="x",
        channel="web_chat",
        received_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
    )
    early = record_feedback(
        kind="idea",
        text="y",
        channel="web_chat",
        received_at=datetime(2027, 1, 1, 0, 30, tzinfo=UTC),
    )
    assert late.reference == "VOS-2026-000001"
    assert early.reference == "VOS-2027-000001"


def test_feedback_is_audited_and_times_are_utc(app, session):
    feedback = record_feedback(kind="concern", text="bus pass late", channel="web_chat")
    stored = session.scalars(select(Feedback)).one()
    assert stored.received_at.tzinfo is not None
    assert stored.received_at.utcoffset().total_seconds() == 0
    event = session.scalars(select(AuditEvent)).one()
    assert (event.action, event.record_id) == ("feedback.received", feedback.reference)
    assert event.actor == "public:web_chat"


def test_feedback_refuses_unknown_kind_and_empty_text(app):
    from feedbackbot.services.errors import Invalid

    with pytest.raises(Invalid, match="kind must be one of"):
        record_feedback(kind="rant", text="x", channel="web_chat")
    with pytest.raises(Invalid, match="empty"):
        record_feedback(kind="idea", text="   ", channel="web_chat")


# --- staff accounts -------------------------------------------------------------------------


def test_users_create_hashes_with_argon2_and_can_sign_in(runner, session):
    result = runner.invoke(
        args=["users", "create", "--email", "Kim@Trust.example", "--role", "complaints"],
        input="a-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalars(select(StaffUser)).one()
    assert user.email == "kim@trust.example"
    assert user.password_hash.startswith("$argon2id$")
    assert authenticate("kim@trust.example", "a-long-enough-password") == user
    assert authenticate("kim@trust.example", "wrong-password-here") is None


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--email", "kim@trust.example", "--role", "boss"], "a-long-enough-password", "boss"),
        (["--email", "not-an-email", "--role", "admin"], "a-long-enough-password", "not an email"),
        (["--email", "kim@trust.example", "--role", "admin"], "short", "at least 12"),
    ],
)
def test_users_create_bad_input_exits_2(runner, session, args, password, message):
    result = runner.invoke(args=["users", "create", *args], input=password + "\n")
    assert result.exit_code == 2
    assert message in result.output
    assert session.scalars(select(StaffUser)).all() == []


def test_users_create_twice_is_refused(runner, session):
    args = ["users", "create", "--email", "kim@trust.example", "--role", "admin"]
    assert runner.invoke(args=args, input="a-long-enough-password\n").exit_code == 0
    again = runner.invoke(args=args, input="another-long-password\n")
    assert again.exit_code == 2
    assert "already" in again.output
    assert authenticate("kim@trust.example", "a-long-enough-password") is not None


# --- demo data ------------------------------------------------------------------------------


def test_seed_demo_is_repeatable(runner, session):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = (session.query(StaffUser).count(), session.query(Feedback).count())
    assert counts[0] == 4 and counts[1] >= 5
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert (session.query(StaffUser).count(), session.query(Feedback).count()) == counts


# --- the CLI as an operator runs it ---------------------------------------------------------


def test_cli_from_empty_database_to_first_user(tmp_path):
    database = Database(tmp_path)
    try:
        env = clean_env(tmp_path, DATABASE_URL=database.url)
        upgraded = run_cli("db", "upgrade", env=env)
        assert upgraded.returncode == 0, upgraded.stderr
        seeded = run_cli("seed-demo", env=env)
        assert seeded.returncode == 0, seeded.stderr
        assert "complaints@demo.invalid" in seeded.stdout
        created = run_cli(
            "users",
            "create",
            "--email",
            "lead@trust.example",
            "--role",
            "manager",
            env=env,
            stdin="correct-horse-battery\n",
        )
        assert created.returncode == 0, created.stderr
        assert "created manager account lead@trust.example" in created.stdout
    finally:
        database.drop()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@127.0.0.1:1/nowhere",
        "not a url at all",
        "sqlite:////nonexistent-folder/deeper/x.sqlite3",
    ],
)
def test_wrong_database_url_is_one_clear_line_and_exit_2(tmp_path, url):
    result = run_cli("db", "upgrade", env=clean_env(tmp_path, DATABASE_URL=url))
    assert result.returncode == 2
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"database", error_lines[0], re.IGNORECASE)


def test_database_without_tables_says_to_upgrade(tmp_path):
    env = clean_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/empty.sqlite3")
    result = run_cli("seed-demo", env=env)
    assert result.returncode == 2
    assert "feedbackbot db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_cli_without_secret_key_refuses(tmp_path):
    result = run_cli("run", env=clean_env(tmp_path, FEEDBACKBOT_ENV="production"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: SECRET_KEY is not set")
    assert "Traceback" not in result.stderr


def test_migrate_to_head_is_idempotent(app):
    migrate_to_head(app)


def test_the_wheel_carries_data_and_migrations(tmp_path):
    """The data lives at the top of the repository; an installed package must still have it."""
    import zipfile

    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    [wheel] = tmp_path.glob("feedbackbot-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("glossary", "intents"):
        shipped = {n for n in names if n.startswith(f"feedbackbot/data/{folder}/")}
        in_repo = {f"feedbackbot/data/{folder}/{p.name}" for p in (ROOT / folder).glob("*.yaml")}
        assert in_repo and in_repo <= shipped
    assert "feedbackbot/migrations/env.py" in names
    versions = {
        f"feedbackbot/migrations/versions/{p.name}" for p in (ROOT / "migrations/versions").glob("*.py")
    }
    assert versions <= names
    assert "feedbackbot/slack/manifest.yaml" in names
    assert any(n.startswith("feedbackbot/templates/") for n in names)


def test_linking_staff_to_slack_users(runner, session):
    runner.invoke(
        args=["users", "create", "--email", "kim@trust.example", "--role", "manager"],
        input="a-long-enough-password\n",
    )
    result = runner.invoke(args=["users", "slack", "--email", "kim@trust.example", "--slack-id", "U0KIM"])
    assert result.exit_code == 0 and "linked to Slack user U0KIM" in result.output
    assert session.scalars(select(StaffUser)).one().slack_user_id == "U0KIM"
    assert (
        runner.invoke(args=["users", "slack", "--email", "kim@trust.example", "--slack-id", "kim"]).exit_code
        == 2
    )
    assert (
        runner.invoke(args=["users", "slack", "--email", "nobody@x.org", "--slack-id", "U0X"]).exit_code == 2
    )
    assert (
        runner.invoke(args=["users", "slack", "--email", "kim@trust.example", "--slack-id", "-"]).exit_code
        == 0
    )
    session.expire_all()
    assert session.scalars(select(StaffUser)).one().slack_user_id is None
