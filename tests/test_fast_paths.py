"""Fast to start and fast under load: the CLI without the web app, caches, codes, the bulk outbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from flask import Flask
from nltk.tokenize import RegexpTokenizer
from sqlalchemy import select

from benchmarks.load import loopback_only
from feedbackbot import create_app
from feedbackbot.cli import COMMANDS, load_command
from feedbackbot.core import glossary as glossary_core
from feedbackbot.core.glossary import GlossaryError
from feedbackbot.core.glossary_data import bundled_glossary_files, load_glossary
from feedbackbot.models import Feedback, OutboxMessage
from feedbackbot.services import heartbeat, outbox
from feedbackbot.services.chat import access_code_matches, feedback_for_young_person, hash_access_code
from feedbackbot.services.errors import NotFound
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import password_hasher
from feedbackbot.settings import default_instance_path
from tests.support import CACHE_DIR

HEAVY = ("flask", "sqlalchemy", "nltk", "numpy", "onnxruntime")


def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACKBOT_", "DATABASE_URL", "SLACK_"))
    }
    env["FEEDBACKBOT_INSTANCE_PATH"] = str(tmp_path / "instance")
    env["FEEDBACKBOT_CACHE_DIR"] = str(CACHE_DIR)
    return env


def modules_after(
    args: list[str], env: dict[str, str], stdin: str = ""
) -> tuple[subprocess.CompletedProcess, set]:
    """Run the CLI in a fresh interpreter; give the result and which of HEAVY it imported."""
    probe = (
        "import atexit, sys\n"
        f"atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(m for m in {HEAVY!r} if m in sys.modules)))\n"
        "from feedbackbot.cli import main\n"
        f"main({args!r})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, input=stdin, capture_output=True, text=True, timeout=180
    )
    line = next(part for part in reversed(done.stderr.splitlines()) if part.startswith("MODULES"))
    return done, set(line.split()[1:])


# --- the CLI -----------------------------------------------------------------------------------


def test_help_lists_the_projects_commands_without_loading_any(tmp_path):
    done, loaded = modules_after(["--help"], cli_env(tmp_path))
    assert done.returncode == 0
    for name in ("glossary", "timescales", "doctor", "db", "users", "report"):
        assert f"  {name} " in done.stdout
    assert "--app" not in done.stdout and "--debug" not in done.stdout  # not Flask's internals
    assert loaded == set()


def test_glossary_check_loads_neither_the_app_nor_the_models(tmp_path):
    done, loaded = modules_after(["glossary", "check", "-"], cli_env(tmp_path), "Her placement is lovely.\n")
    assert done.returncode == 1
    assert '1:5  found "placement" -> try "home"' in done.stdout
    assert "Slack features are off" not in done.stderr
    assert loaded == set()


def test_timescales_load_no_semantic_model_and_no_database(tmp_path):
    args = [
        "timescales",
        "--procedure",
        "statutory",
        "--stage",
        "1",
        "--received",
        "2026-11-20",
        "--format",
        "json",
    ]
    done, loaded = modules_after(args, cli_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["respond_by"] == "2026-12-04"
    assert loaded == set()


def test_chat_classify_without_the_web_app(tmp_path):
    done, loaded = modules_after(["chat", "classify", "-"], cli_env(tmp_path), "my dad hits me\n")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[0])["safeguarding"] is True
    assert "flask" not in loaded and "sqlalchemy" not in loaded


def test_each_entry_says_what_its_command_says():
    for name, entry in COMMANDS.items():
        command = load_command(name)
        assert click.Command(name, help=entry.help).get_short_help_str(200) == command.get_short_help_str(
            200
        ), name


def test_a_database_command_gets_the_app_only_when_it_runs(tmp_path):
    env = {**cli_env(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"}
    done, _ = modules_after(["users", "create", "--help"], env)
    assert done.returncode == 0 and "--email" in done.stdout
    assert not (tmp_path / "none.sqlite3").exists()  # --help never built the app
    done, _ = modules_after(["users", "tokens"], env)
    assert done.returncode == 2
    assert "feedbackbot db upgrade" in done.stderr  # built the app, found no tables: one line


def test_doctor_reports_slack_off_and_fails_until_the_clock_has_run(runner, app):
    result = runner.invoke(args=["doctor"])
    assert result.exit_code == 1
    assert "slack" in result.output and "off" in result.output
    assert "FAIL  clock" in result.output
    assert "migrations" in result.output and "at head" in result.output
    assert "model file" in result.output and "sha256" in result.output
    heartbeat.beat("test")
    result = runner.invoke(args=["doctor", "--format", "json"])
    assert result.exit_code == 0, result.output
    checks = {c["name"]: c["status"] for c in json.loads(result.output)["checks"]}
    assert checks["clock"] == "ok" and checks["database"] == "ok" and checks["slack"] == "warn"


def test_commands_do_not_log_that_slack_is_off(tmp_path, caplog):
    caplog.set_level("INFO")
    create_app({"INSTANCE_PATH": str(tmp_path), "CACHE_DIR": str(CACHE_DIR), "COMMAND_LINE": True})
    assert "Slack features are off" not in caplog.text
    create_app({"INSTANCE_PATH": str(tmp_path), "CACHE_DIR": str(CACHE_DIR)})
    assert "Slack features are off" in caplog.text  # the web process still says it once


def test_the_default_instance_folder_is_flasks():
    assert Flask("feedbackbot.app").instance_path == str(default_instance_path())


# --- caches and the tokeniser ------------------------------------------------------------------


def test_the_glossary_tokeniser_gives_nltks_spans():
    nltk_tokens = RegexpTokenizer(glossary_core.TOKEN_PATTERN)
    text = "Mum's contact — on Sat.\n\nHe didn’t go; 3 placements (respite) e-mail: a@b.org!"
    ours = [m.span() for m in glossary_core._TOKENS.finditer(text)]
    assert ours == list(nltk_tokens.span_tokenize(text))


def test_glossary_files_come_from_the_cache_the_second_time(tmp_path):
    first = load_glossary(bundled_glossary_files(), cache_dir=tmp_path)
    cached = sorted(tmp_path.glob("glossary-*.json"))
    assert len(cached) == len(bundled_glossary_files())
    second = load_glossary(bundled_glossary_files(), cache_dir=tmp_path)
    text = "The LAC review looked at her placement and contact with mum."
    assert second.checker().check(text) == first.checker().check(text)


def test_a_bad_file_names_its_line_from_the_cache_too(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("terms:\n  - id: peers\n    label: Peers\n    forms: [peers]\n", encoding="utf-8")
    messages = []
    for _ in range(2):
        with pytest.raises(GlossaryError) as caught:
            load_glossary([bad], cache_dir=tmp_path / "cache")
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert f"{bad}:4: terms[0].forms" in messages[0]
    assert list((tmp_path / "cache").glob("glossary-*.json"))  # the second one was read from it


# --- the young person's code -------------------------------------------------------------------


def test_new_codes_are_a_keyed_hash(app):
    stored = hash_access_code("ABCD-EFGH")
    assert stored.startswith("hmac-sha256$") and "ABCD" not in stored
    assert access_code_matches(stored, "abcd efgh")
    assert not access_code_matches(stored, "ABCD-EFGJ")
    app.config["SECRET_KEY"] = "another-key"
    assert not access_code_matches(stored, "ABCD-EFGH")  # useless without the key


def test_an_argon2_code_from_before_still_works_and_is_kept_as_hmac_after(app, session):
    feedback = record_feedback(kind="idea", text="a film night", channel="web_chat")
    feedback.access_code_hash = password_hasher().hash("ABCDEFGH")
    session.commit()
    with pytest.raises(NotFound, match="couldn't find"):
        feedback_for_young_person(feedback.reference, "WXYZ-WXYZ")
    assert session.get(Feedback, feedback.id).access_code_hash.startswith("$argon2")
    assert feedback_for_young_person(feedback.reference, "abcd-efgh").id == feedback.id
    stored = session.scalars(select(Feedback.access_code_hash).where(Feedback.id == feedback.id)).one()
    assert stored.startswith("hmac-sha256$")
    assert feedback_for_young_person(feedback.reference, "ABCD-EFGH").id == feedback.id


# --- the outbox in bulk ------------------------------------------------------------------------


def test_enqueue_many_adds_each_key_once(app, session):
    assert outbox.enqueue("k1", "reminder_warning", "C1", {"text": "one"}) is not None
    messages = [
        outbox.NewMessage(f"k{i}", "reminder_warning", "C1", {"text": str(i)}, ("complaint", i))
        for i in (1, 2, 3, 3)
    ]
    assert sorted(outbox.enqueue_many(messages)) == ["k2", "k3"]
    assert outbox.enqueue_many(messages) == []
    session.commit()
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.key)).all()
    assert [(r.key, r.status, r.related_id) for r in rows] == [
        ("k1", "pending", None),
        ("k2", "pending", "2"),
        ("k3", "pending", "3"),
    ]
    assert rows[1].payload == {"text": "2"}


# --- the load test -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://127.0.0.1:5000", "http://localhost:8000", "http://[::1]:5000"])
def test_the_load_test_runs_against_this_machine(url):
    assert loopback_only(url)[1] in {5000, 8000}


@pytest.mark.parametrize(
    "url", ["http://10.0.0.5:5000", "http://example.org", "https://127.0.0.1:5000", "ftp://x"]
)
def test_the_load_test_refuses_any_other_address(url):
    with pytest.raises(SystemExit):
        loopback_only(url)


def test_the_naive_bayes_model_is_trained_once_and_reads_the_same_from_the_cache(tmp_path):
    from feedbackbot.core.intents import IntentClassifier, cached_classifier, load_intents
    from feedbackbot.services.config import bundled

    intents = load_intents(bundled("intents", "intents.yaml"))
    fresh = IntentClassifier(intents)
    first = cached_classifier(intents, tmp_path)
    assert len(list(tmp_path.glob("naive-bayes-*.pickle"))) == 1
    again = cached_classifier(intents, tmp_path)
    for text in ("thank you kez", "my social worker never calls back", "can i have an advocate"):
        assert again.distribution(text) == fresh.distribution(text) == first.distribution(text)


def test_a_web_worker_loads_the_language_models_before_its_first_request(app, monkeypatch):
    """lingua builds its models on first use (~4 s holding the worker): gunicorn's hook does it first."""
    from feedbackbot import app as app_module
    from feedbackbot import gunicorn_conf
    from feedbackbot.core import language_detection

    monkeypatch.setattr(app_module, "settle_memory", lambda: None)  # gc.freeze is for real workers
    language_detection._lingua_detector.cache_clear()

    class Worker:
        wsgi = app

    gunicorn_conf.post_worker_init(Worker())
    assert language_detection._lingua_detector.cache_info().currsize == 1
