"""Subject access: a request logged with its one-calendar-month due date, one person's records found
by name, contact or reference and handed over as JSON and a readable page, and a reminder."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from feedbackbot.core import timekeeping
from feedbackbot.extensions import db
from feedbackbot.models import AuditEvent, Conversation, ConversationMessage, OutboxMessage
from feedbackbot.services import complaints as svc
from feedbackbot.services import subject_access as sar
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user

PASSWORD = "a-long-enough-password"


@pytest.fixture
def app_config(slack_config):
    return {**slack_config, "OUTBOX_SEND_IMMEDIATELY": False}


@pytest.fixture
def records(app):
    timekeeping.freeze(datetime(2026, 1, 31, 10, tzinfo=UTC))
    officer = create_staff_user("officer@trust.example", "complaints", PASSWORD)
    create_staff_user("admin@trust.example", "admin", PASSWORD, name="Ada Admin")
    mine = record_feedback(kind="concern", text="my family time keeps being cancelled", channel="web_chat")
    mine.name, mine.contact_method, mine.contact_value = "Jamie Rivers", "phone", "07700 900 123"
    chat = Conversation(id="a" * 32, token_hash="x" * 64, channel="web", state={}, feedback_id=mine.id)
    chat.messages.append(ConversationMessage(sender="young_person", text="it happened again"))
    db.session.add(chat)
    by_phone = record_feedback(kind="idea", text="a film night", channel="phone")
    by_phone.contact_method, by_phone.contact_value = "phone", "07700900123"
    complaint_about = record_feedback(kind="complaint", text="my mum complains for me", channel="letter")
    svc.open_complaint(
        officer,
        feedback_reference=complaint_about.reference,
        procedure="statutory",
        relationship="parent",
        complainant_name="Sam Rivers",
        about_child="Jamie Rivers",
    )
    someone_else = record_feedback(kind="compliment", text="thanks Pat", channel="web_chat")
    someone_else.name = "Alex Other"
    db.session.commit()
    yield {
        "mine": mine.reference,
        "by_phone": by_phone.reference,
        "about": complaint_about.reference,
        "other": someone_else.reference,
    }
    timekeeping.freeze(None)


def test_one_calendar_month():
    assert sar.one_calendar_month_after(date(2026, 1, 31)) == date(2026, 2, 28)
    assert sar.one_calendar_month_after(date(2026, 12, 15)) == date(2027, 1, 15)
    assert sar.one_calendar_month_after(date(2028, 1, 30)) == date(2028, 2, 29)


def test_the_cli_logs_a_request_and_exports_one_persons_records(records, runner, tmp_path):
    logged = runner.invoke(
        args=[
            "sar",
            "log",
            "--requester",
            "Jamie Rivers",
            "--name",
            "jamie rivers",
            "--contact",
            "07700900123",
        ]
    )
    assert logged.exit_code == 0, logged.output
    assert "SAR-00001 (id 1) logged; due 2026-02-28" in logged.output

    out = tmp_path / "bundle.json"
    exported = runner.invoke(args=["sar", "export", "1", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    bundle = json.loads(out.read_text())
    found = {r["reference"]: r for r in bundle["records"]}
    assert set(found) == {records["mine"], records["by_phone"], records["about"]}
    assert found[records["mine"]]["words"] == "my family time keeps being cancelled"
    assert found[records["mine"]]["chat"][0]["text"] == "it happened again"
    assert found[records["about"]]["complaint"]["about"] == "Jamie Rivers"

    page = runner.invoke(args=["sar", "export", "1", "--format", "html"]).output
    assert "<!doctype html>" in page and "it happened again" in page and "thanks Pat" not in page
    trail = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sar.exported")).all()
    assert len(trail) == 2 and "my family time" not in repr(trail[0].after)

    assert "open  Jamie Rivers" in runner.invoke(args=["sar", "list"]).output
    assert runner.invoke(args=["sar", "done", "1"]).exit_code == 0
    assert runner.invoke(args=["sar", "done", "1"]).exit_code == 2


def test_bad_requests_are_exit_2(records, runner):
    assert runner.invoke(args=["sar", "log", "--requester", "X"]).exit_code == 2  # nothing to search for
    assert runner.invoke(args=["sar", "log", "--requester", "X", "--reference", "nonsense"]).exit_code == 2
    assert (
        runner.invoke(
            args=["sar", "log", "--requester", "X", "--name", "Y", "--received", "2026-13-01"]
        ).exit_code
        == 2
    )
    assert (
        runner.invoke(
            args=["sar", "log", "--requester", "X", "--name", "Y", "--received", "2027-01-01"]
        ).exit_code
        == 2
    )
    assert runner.invoke(args=["sar", "export", "99"]).exit_code == 2


def test_admins_log_a_request_and_read_the_bundle_on_the_dashboard(records, client):
    assert (
        client.post("/login", data={"email": "admin@trust.example", "password": PASSWORD}).status_code == 302
    )
    response = client.post(
        "/staff/sar",
        data={"requester": "Jamie Rivers", "received_on": "2026-01-20", "references": records["mine"]},
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "due Friday 20 February 2026" in page
    assert "my family time keeps being cancelled" in page
    download = client.get("/staff/sar/1/bundle.json")
    assert download.headers["Content-Disposition"] == 'attachment; filename="SAR-00001.json"'
    assert [r["reference"] for r in download.json["records"]] == [records["mine"]]
    assert client.post("/staff/sar", data={"requester": "", "names": "x"}).status_code == 400
    assert client.post("/staff/sar/1/done").status_code == 303
    assert "Answered" in client.get("/staff/sar").get_data(as_text=True)


def test_a_reminder_goes_before_the_month_is_up_and_once(records, app):
    from feedbackbot.services.audit import Actor

    sar.log_request("Jamie Rivers", date(2026, 1, 31), names=["Jamie Rivers"], actor=Actor.system("test"))
    assert sar.queue_reminders() == 0  # due 28 February: not yet
    timekeeping.freeze(datetime(2026, 2, 24, 10, tzinfo=UTC))
    assert sar.queue_reminders() == 1
    assert sar.queue_reminders() == 0
    timekeeping.freeze(datetime(2026, 3, 2, 10, tzinfo=UTC))
    assert sar.queue_reminders() == 1
    texts = [m.payload["text"] for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert "is due on 28 February 2026" in texts[0] and "was due on 28 February 2026" in texts[1]
