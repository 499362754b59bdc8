"""Retention with a controlled clock: what is past its time goes, held records stay, reports keep counts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from feedbackbot.core import timekeeping
from feedbackbot.core.retention import RetentionConfigError, parse_policy
from feedbackbot.extensions import db
from feedbackbot.models import (
    AuditEvent,
    Complaint,
    Conversation,
    ConversationMessage,
    Feedback,
    OutboxMessage,
    SafeguardingAlert,
)
from feedbackbot.services import complaints as svc
from feedbackbot.services import reports, retention
from feedbackbot.services.audit import Actor
from feedbackbot.services.errors import Conflict
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user

WORDS = "my social worker Alex Smith never rings me back"


def at(y, m, d) -> datetime:
    return datetime(y, m, d, 10, tzinfo=UTC)


@pytest.fixture
def past(app):
    """Records made in January 2018 (a case closed in February 2018), then the clock moved to 2024."""
    timekeeping.freeze(at(2018, 1, 10))
    officer = create_staff_user("officer@trust.example", "complaints", "a-long-enough-password")
    cases = []
    for name in ("Jo Bloggs", "Sam Held"):
        fb = record_feedback(kind="complaint", text=WORDS, channel="web_chat")
        fb.name, fb.contact_method, fb.contact_value = name, "phone", "07700 900123"
        fb.topic = "family_time"
        complaint = svc.open_complaint(
            officer,
            feedback_reference=fb.reference,
            procedure="statutory",
            relationship="self",
            complainant_name=name,
            about_child=name,
        )
        svc.acknowledge_complaint(officer, complaint)
        svc.extend_deadline(officer, complaint, "an advocate is needed for " + name)
        svc.respond_to_complaint(officer, complaint, "upheld", "We are sorry, " + name, send_as_written=True)
        cases.append(complaint)
    timekeeping.freeze(at(2018, 2, 1))
    for complaint in cases:
        svc.close_complaint(officer, complaint, "answered " + complaint.complainant_name)
    timekeeping.freeze(at(2018, 1, 10))
    compliment = record_feedback(kind="compliment", text="my carer is great, thanks Pat", channel="web_chat")
    compliment.name = "Riley"
    recent_idea = None
    chat = Conversation(id="c" * 32, token_hash="x" * 64, channel="web", state={})
    chat.messages.append(ConversationMessage(sender="young_person", text="hello I am Riley"))
    alert = SafeguardingAlert(
        text="he hits me",
        categories=["abuse"],
        source="chat",
        who="young person",
        created_at=at(2018, 1, 10),
        status="acknowledged",
        acknowledged_at=at(2018, 1, 10),
        acknowledged_by="duty officer",
    )
    sent = OutboxMessage(
        key="sent-1", kind="digest", payload={"text": WORDS}, status="sent", sent_at=at(2018, 1, 10)
    )
    pending = OutboxMessage(key="pending-1", kind="digest", payload={}, status="pending")
    db.session.add_all([chat, alert, sent, pending])
    db.session.commit()
    retention.set_legal_hold(cases[1].reference, "Ombudsman enquiry 2023/123", Actor.system("test"))
    timekeeping.freeze(at(2024, 6, 1))
    recent_idea = record_feedback(kind="idea", text="more trips please", channel="web_chat")
    yield {
        "closed": cases[0].reference,
        "held": cases[1].reference,
        "compliment": compliment.reference,
        "recent": recent_idea.reference,
        "alert_id": alert.id,
    }
    timekeeping.freeze(None)


def _feedback(reference: str) -> Feedback:
    db.session.expire_all()
    return db.session.scalars(select(Feedback).where(Feedback.reference == reference)).one()


def _reports() -> list[dict]:
    return [reports.monthly_report(2018, 1), reports.monthly_report(2018, 2)]


@pytest.mark.parametrize("how", ["clock", "cli"])
def test_records_past_their_retention_are_anonymised_or_deleted(past, runner, how):
    before = _reports()
    assert before[0]["feedback_by_kind"] == {"complaint": 2, "compliment": 1}
    assert (before[0]["responses"], before[0]["outcomes"]) == (2, {"upheld": 2})
    assert (before[0]["themes"]["family_time"], before[0]["safeguarding_alerts"]) == (2, 1)

    args = ["clock", "--once"] if how == "clock" else ["retention", "run"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output

    closed = _feedback(past["closed"])
    assert closed.anonymised_at is not None
    assert closed.text == "" and closed.name is None and closed.contact_value is None
    assert (closed.kind, closed.topic, closed.received_at) == ("complaint", "family_time", at(2018, 1, 10))
    complaint = db.session.scalars(select(Complaint).where(Complaint.feedback_id == closed.id)).one()
    assert complaint.complainant_name is None and complaint.about_child is None
    every_value = repr([e.data for e in complaint.events])
    assert "Jo Bloggs" not in every_value and "sorry" not in every_value
    assert [e.data.get("outcome") for e in complaint.events if e.kind == "responded"] == ["upheld"]

    held = _feedback(past["held"])
    assert held.anonymised_at is None and held.text == WORDS and held.name == "Sam Held"

    assert _feedback(past["compliment"]).text == ""  # 2 years after its last change
    assert _feedback(past["recent"]).text == "more trips please"
    assert db.session.get(Conversation, "c" * 32) is None
    alert = db.session.get(SafeguardingAlert, past["alert_id"])
    assert alert.text == "" and alert.categories == ["abuse"] and alert.anonymised_at is not None
    assert [m.key for m in db.session.scalars(select(OutboxMessage))] == ["pending-1"]

    assert _reports() == before  # the figures survive as counts

    trail = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("retention.%"))))
    named = {(e.record_type, e.record_id) for e in trail}
    assert ("feedback", past["closed"]) in named and ("feedback", past["compliment"]) in named
    assert ("feedback", past["held"]) not in named
    assert {"conversation", "outbox", "safeguarding_alert"} <= {e.record_type for e in trail}
    text_of_trail = repr([(e.before, e.after) for e in trail])
    assert (
        WORDS not in text_of_trail and "Jo Bloggs" not in text_of_trail and "he hits me" not in text_of_trail
    )

    # a second run finds nothing more to do
    again = runner.invoke(args=["retention", "run"])
    assert "complaint: did anonymise 0" in again.output


def test_a_dry_run_changes_nothing_and_says_what_would_go(past, runner):
    before = _reports()
    rows_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    result = runner.invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"complaint: would anonymise 1 (6 years after closure): {past['closed']}" in result.output
    assert f"kept on legal hold: {past['held']}" in result.output
    assert "conversation: would delete 1" in result.output
    assert "outbox: would delete 1" in result.output
    assert "safeguarding_alert: would anonymise 1" in result.output
    assert _feedback(past["closed"]).text == WORDS
    assert db.session.get(Conversation, "c" * 32) is not None
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == rows_before
    assert _reports() == before


def test_lifting_the_hold_lets_the_next_run_anonymise(past, runner):
    assert (
        runner.invoke(args=["retention", "release", past["held"], "--reason", "enquiry closed"]).exit_code
        == 0
    )
    runner.invoke(args=["retention", "run"])
    assert _feedback(past["held"]).anonymised_at is not None


def test_erasure_on_request_is_audited_and_refused_under_legal_hold(past, runner):
    refused = runner.invoke(args=["retention", "erase", past["held"], "--reason", "asked on 1 June"])
    assert refused.exit_code == 2 and "legal hold" in refused.output
    assert _feedback(past["held"]).text == WORDS

    done = runner.invoke(args=["retention", "erase", past["recent"], "--reason", "asked on 1 June"])
    assert done.exit_code == 0, done.output
    assert _feedback(past["recent"]).text == ""
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "erasure.done")).one()
    assert event.record_id == past["recent"] and event.after["reason"] == "asked on 1 June"
    with pytest.raises(Conflict):
        retention.erase(past["recent"], "again", Actor.system("test"))


def test_bad_input_to_the_commands_is_exit_2(app, runner):
    assert runner.invoke(args=["retention", "hold", "VOS-2099-000001", "--reason", "x"]).exit_code == 2
    assert runner.invoke(args=["retention", "erase", "VOS-2099-000001", "--reason", " "]).exit_code == 2


def test_the_rules_file_is_checked():
    good = {
        name: {
            "label": "x",
            "keep": {"days": 1},
            "after": after,
            "action": action,
            "promise": "kept {period}",
        }
        for name, after, action in [
            ("complaint", "closure", "anonymise"),
            ("feedback", "created", "anonymise"),
            ("conversation", "created", "delete"),
            ("safeguarding_alert", "created", "anonymise"),
            ("outbox", "finished", "delete"),
            ("audit", "created", "delete"),
        ]
    }
    assert parse_policy(good).rule("outbox").public_promise() == "kept 1 day"
    with pytest.raises(RetentionConfigError, match="complaint: action"):
        parse_policy({**good, "complaint": {**good["complaint"], "action": "delete"}})
    with pytest.raises(RetentionConfigError, match="no rule for audit"):
        parse_policy({k: v for k, v in good.items() if k != "audit"})
    with pytest.raises(RetentionConfigError, match="keep"):
        parse_policy({**good, "outbox": {**good["outbox"], "keep": {"weeks": 2}}})


@pytest.mark.slow
def test_a_dry_run_on_a_fresh_demo_database_exits_0_and_lists_every_type(tmp_path):
    from tests.support import Database
    from tests.test_foundation import clean_env, run_cli

    database = Database(tmp_path)
    try:
        env = clean_env(tmp_path, DATABASE_URL=database.url)
        assert run_cli("db", "upgrade", env=env).returncode == 0
        assert run_cli("seed-demo", env=env).returncode == 0
        result = run_cli("retention", "run", "--dry-run", env=env)
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        for kind in ("complaint", "feedback", "conversation", "safeguarding_alert", "outbox", "audit"):
            assert any(line.startswith(f"{kind}: would ") for line in lines), result.stdout
        assert lines[-1] == "dry run: nothing was changed"
    finally:
        database.drop()


def test_the_privacy_page_is_written_from_the_retention_rules(app, client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "Complaints are kept for 6 years after they are closed" in page
    assert "deleted 30 days after the last message" in page
    for rule in retention.policy().ordered():
        assert rule.public_promise() in page


def test_a_changed_rules_file_changes_the_page_and_the_runs(database, tmp_path):
    from pathlib import Path

    import yaml

    from feedbackbot.services.config import bundled
    from tests.support import make_test_app

    rules = yaml.safe_load(Path(bundled("retention.yaml")).read_text())
    rules["complaint"]["keep"] = {"years": 8}
    custom = tmp_path / "retention.yaml"
    custom.write_text(yaml.safe_dump(rules))
    app = make_test_app(database.url, tmp_path / "instance", RETENTION_FILE=str(custom))
    with app.app_context():
        assert "kept for 8 years after they are closed" in app.test_client().get("/privacy").get_data(
            as_text=True
        )
        assert retention.policy().rule("complaint").years == 8
        db.session.remove()
        db.engine.dispose()


def test_a_broken_rules_file_stops_the_app_with_one_clear_message(database, tmp_path):
    from feedbackbot.settings import ConfigError
    from tests.support import make_test_app

    broken = tmp_path / "retention.yaml"
    broken.write_text("complaint: {keep: {years: 6}}\n")
    with pytest.raises(ConfigError, match="no rule for feedback"):
        make_test_app(database.url, tmp_path / "instance", RETENTION_FILE=str(broken))


def test_admins_hold_and_erase_on_the_dashboard(past, client):
    from feedbackbot.services.users import create_staff_user

    create_staff_user("admin@trust.example", "admin", "a-long-enough-password")
    client.post("/login", data={"email": "admin@trust.example", "password": "a-long-enough-password"})
    page = client.get(f"/staff/feedback/{past['recent']}").get_data(as_text=True)
    assert "Legal hold or erasure" in page
    assert client.post(f"/staff/privacy/{past['recent']}/hold", data={"reason": ""}).status_code == 400
    held = client.post(f"/staff/privacy/{past['recent']}/hold", data={"reason": "police enquiry"})
    assert held.status_code == 303
    refused = client.post(f"/staff/privacy/{past['recent']}/erase", data={"reason": "asked"})
    assert refused.status_code == 409 and "legal hold" in refused.get_data(as_text=True)
    client.post(f"/staff/privacy/{past['recent']}/release", data={"reason": "enquiry over"})
    assert client.post(f"/staff/privacy/{past['recent']}/erase", data={"reason": "asked"}).status_code == 303
    assert _feedback(past["recent"]).text == ""
    assert "were removed on" in client.get(f"/staff/privacy/{past['recent']}").get_data(as_text=True)
