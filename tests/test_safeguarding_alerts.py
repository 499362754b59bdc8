"""Safeguarding alerts end to end: the API, the database, the outbox and a local mock Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from feedbackbot.core import timekeeping
from feedbackbot.models import (
    AuditEvent,
    Feedback,
    OutboxMessage,
    SafeguardingAlert,
    SafeguardingCheckIn,
    StaffUser,
)
from feedbackbot.services import outbox
from feedbackbot.services.users import create_staff_user
from tests.slack_helpers import interaction
from tests.test_chat_api import ApiChat

DISCLOSURE = "my step dad hits me when he is drunk"
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def app_config(slack_config):
    return {
        **slack_config,
        "SLACK_TIMEOUT_SECONDS": 1,
        "DUTY_PHONE": "0121 000 0001",
        "OUT_OF_HOURS_PHONE": "0121 000 0002",
    }


@pytest.fixture
def frozen():
    timekeeping.freeze(T0)
    yield lambda moment: timekeeping.freeze(moment)
    timekeeping.freeze(None)


def disclose(client, text: str = DISCLOSURE) -> ApiChat:
    chat = ApiChat(client)
    response = chat.send(text=text)
    assert response.status_code == 200
    return chat


def test_a_disclosure_is_stored_answered_and_sent_to_the_duty_channel(client, session, mock_slack):
    chat = disclose(client)
    texts = chat.texts()
    assert texts[0] == "I'm really glad you told us."
    assert any("999" in t for t in texts) and any("0800 1111" in t for t in texts)
    assert any("0121 000 0001" in t for t in texts)
    assert texts[-1] == "Are you safe right now?"
    alert = session.scalars(select(SafeguardingAlert)).one()
    assert (alert.text, alert.categories, alert.source) == (DISCLOSURE, ["harm_from_others"], "message")
    assert alert.conversation_id == chat.id
    outbox.wait_for_background()
    [post] = mock_slack.posted("C0DUTY")
    assert "Safeguarding alert SG-" in post.args["text"]
    assert "Harm from others" in json.dumps(post.args["blocks"])
    assert "step dad" not in json.dumps(post.args)  # the young person's words stay in the service
    assert post.args["metadata"]["event_payload"]["key"] == f"safeguarding:{alert.id}:raised"
    session.expire_all()
    row = session.scalars(select(OutboxMessage)).one()
    assert (row.status, row.attempts, row.slack_channel) == ("sent", 0, "C0DUTY")
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "safeguarding.alert_raised")).one()


@pytest.mark.parametrize("outage", ["error500", "hang"])
def test_slack_down_the_alert_is_kept_the_reply_shown_and_it_is_delivered_later(
    client, session, runner, mock_slack, frozen, outage
):
    mock_slack.mode = outage
    mock_slack.hang_seconds = 2
    chat = disclose(client)
    assert chat.texts()[0] == "I'm really glad you told us."
    alert = session.scalars(select(SafeguardingAlert)).one()
    outbox.wait_for_background()
    session.expire_all()
    row = session.scalars(select(OutboxMessage)).one()
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error
    assert mock_slack.posted("C0DUTY") == []
    # Slack comes back; the clock's dispatch runs once the backoff has passed.
    mock_slack.mode = "ok"
    assert "0 sent" in runner.invoke(args=["outbox", "dispatch"]).output  # not due yet
    frozen(T0 + timedelta(minutes=1))
    result = runner.invoke(args=["outbox", "dispatch"])
    assert result.exit_code == 0 and "1 sent" in result.output
    assert len(mock_slack.posted("C0DUTY")) == 1
    frozen(T0 + timedelta(minutes=30))
    runner.invoke(args=["outbox", "dispatch"])
    assert len(mock_slack.posted("C0DUTY")) == 1
    session.expire_all()
    assert session.get(SafeguardingAlert, alert.id).status == "open"


def test_a_send_that_slack_took_but_never_answered_is_not_sent_twice(
    client, session, runner, mock_slack, frozen
):
    mock_slack.mode = "post_then_hang"
    mock_slack.hang_seconds = 2
    disclose(client)
    outbox.wait_for_background()
    assert len(mock_slack.posted("C0DUTY")) == 1  # Slack has it; we could not know
    session.expire_all()
    row = session.scalars(select(OutboxMessage)).one()
    assert row.status == "pending" and row.sending_since is not None
    mock_slack.mode = "ok"
    frozen(T0 + timedelta(minutes=5))
    result = runner.invoke(args=["outbox", "dispatch"])
    assert "1 found already sent" in result.output
    assert len(mock_slack.posted("C0DUTY")) == 1
    session.expire_all()
    assert session.get(OutboxMessage, row.id).status == "sent"


def test_reminders_go_to_the_wider_group_until_a_named_person_acknowledges(
    client, session, runner, mock_slack, frozen, app
):
    app.config["SAFEGUARDING_RENOTIFY_MINUTES"] = 15
    disclose(client, "i want to kill myself")
    outbox.wait_for_background()
    alert = session.scalars(select(SafeguardingAlert)).one()

    def renotify_at(minutes: int) -> str:
        frozen(T0 + timedelta(minutes=minutes))
        queued = runner.invoke(args=["safeguarding", "renotify"]).output
        runner.invoke(args=["outbox", "dispatch"])
        return queued

    assert renotify_at(10).startswith("0 reminder")
    assert renotify_at(16).startswith("1 reminder")
    assert renotify_at(17).startswith("0 reminder")  # same period: not again
    assert renotify_at(31).startswith("1 reminder")
    reminders = mock_slack.posted("C0WIDER")
    assert len(reminders) == 2
    assert reminders[0].args["text"].startswith("Reminder: still not acknowledged.")

    # Someone on duty presses the button in Slack.
    staff = create_staff_user("duty@trust.example", "manager", "a-long-enough-password", name="Robin Duty")
    staff.slack_user_id = "U0DUTY"
    session.commit()
    payload = {
        "type": "block_actions",
        "user": {"id": "U0DUTY", "name": "robin"},
        "team": {"id": "T0TEST"},
        "channel": {"id": "C0DUTY"},
        "container": {"type": "message", "channel_id": "C0DUTY"},
        "trigger_id": "1.2.3",
        "actions": [
            {"action_id": "safeguarding_ack", "value": str(alert.id), "type": "button", "block_id": "b"}
        ],
        "response_url": "https://hooks.slack.invalid/actions/1",
    }
    assert interaction(client, payload).status_code == 200
    outbox.wait_for_background()
    session.expire_all()
    alert = session.get(SafeguardingAlert, alert.id)
    assert (alert.status, alert.acknowledged_by, alert.acknowledged_by_id) == (
        "acknowledged",
        "Robin Duty",
        staff.id,
    )
    updates = mock_slack.calls_to("chat.update")
    assert updates and all("Acknowledged by Robin Duty" in json.dumps(u.args["blocks"]) for u in updates)
    assert renotify_at(46).startswith("0 reminder")
    assert renotify_at(90).startswith("0 reminder")
    assert len(mock_slack.posted("C0WIDER")) == 2


def test_a_reminder_due_while_the_clock_was_down_is_sent_once(
    client, session, runner, mock_slack, frozen, app
):
    app.config["SAFEGUARDING_RENOTIFY_MINUTES"] = 15
    disclose(client)
    outbox.wait_for_background()
    frozen(T0 + timedelta(hours=3))  # the clock was down for three hours
    assert runner.invoke(args=["safeguarding", "renotify"]).output.startswith("1 reminder")
    runner.invoke(args=["outbox", "dispatch"])
    assert len(mock_slack.posted("C0WIDER")) == 1


def test_acknowledging_from_the_cli_needs_a_known_person(client, session, runner, mock_slack):
    disclose(client)
    alert = session.scalars(select(SafeguardingAlert)).one()
    assert runner.invoke(args=["safeguarding", "ack", str(alert.id), "--by", "nobody@x.org"]).exit_code == 2
    create_staff_user("lead@trust.example", "manager", "a-long-enough-password", name="Lee Lead")
    result = runner.invoke(args=["safeguarding", "ack", str(alert.id), "--by", "lead@trust.example"])
    assert result.exit_code == 0 and "acknowledged by Lee Lead" in result.output
    again = runner.invoke(args=["safeguarding", "ack", str(alert.id), "--by", "lead@trust.example"])
    assert again.exit_code == 2 and "already acknowledged" in again.output
    assert runner.invoke(args=["safeguarding", "ack", "999", "--by", "lead@trust.example"]).exit_code == 2


def test_feedback_holding_a_disclosure_is_marked(client, session):
    chat = ApiChat(client)
    chat.send(choice="kind:wrong")
    chat.send(text="my carer locks me in my room at night")
    chat.send(choice="safety:safe")
    chat.send(choice="safety:carry_on")
    chat.send(choice="topic:home")
    chat.send(choice="identity:name")
    chat.send(text="Sky")
    chat.send(choice="contact:none")
    chat.send(choice="route:formal")
    chat.send(choice="writer:self")
    chat.send(choice="advocate:yes")
    chat.send(choice="confirm:send")
    feedback = session.scalars(select(Feedback)).one()
    assert feedback.safeguarding is True
    assert feedback.text == "my carer locks me in my room at night"
    alert = session.scalars(select(SafeguardingAlert)).one()
    assert (alert.feedback_id, alert.who) == (feedback.id, "Sky")


def test_not_safe_right_now_marks_the_alert_urgent_and_says_so(client, session, mock_slack):
    chat = disclose(client, "im scared to go home")
    chat.send(choice="safety:not_safe")
    outbox.wait_for_background()
    alert = session.scalars(select(SafeguardingAlert)).one()
    assert alert.urgent is True
    urgent = [c for c in mock_slack.posted("C0DUTY") if "not safe right now" in json.dumps(c.args["blocks"])]
    assert len(urgent) == 1
    assert session.query(SafeguardingAlert).count() == 1


def test_classify_fills_safeguarding_and_risk(runner):
    result = runner.invoke(
        args=["chat", "classify"], input="i want to kill myself\nmy feet are killing me\nthanks\n"
    )
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["safeguarding"], r["risk"]) for r in rows] == [
        (True, ["harm_to_self"]),
        (False, []),
        (False, []),
    ]
    assert set(rows[0]) == {
        "text",
        "intent",
        "kind",
        "confidence",
        "safeguarding",
        "check_in",
        "risk",
        "risk_score",
    }
    assert [r["check_in"] for r in rows] == [False, False, False]


def test_a_staff_account_is_optional_for_acknowledging_from_slack(client, session, mock_slack):
    disclose(client)
    alert = session.scalars(select(SafeguardingAlert)).one()
    payload = {
        "type": "block_actions",
        "user": {"id": "U0OTHER", "name": "sam.on.duty"},
        "team": {"id": "T0TEST"},
        "channel": {"id": "C0DUTY"},
        "trigger_id": "1.2.3",
        "actions": [
            {"action_id": "safeguarding_ack", "value": str(alert.id), "type": "button", "block_id": "b"}
        ],
        "response_url": "https://hooks.slack.invalid/actions/1",
    }
    interaction(client, payload)
    outbox.wait_for_background()
    session.expire_all()
    assert session.get(SafeguardingAlert, alert.id).acknowledged_by == "sam.on.duty (Slack U0OTHER)"
    assert session.query(StaffUser).count() == 0


def test_a_disclosure_after_the_feedback_was_sent_still_marks_it(client, session):
    chat = ApiChat(client)
    for body in (
        {"choice": "kind:idea"},
        {"text": "a film night"},
        {"choice": "topic:other"},
        {"choice": "identity:anonymous"},
        {"choice": "confirm:send"},
    ):
        chat.send(**body)
    feedback = session.scalars(select(Feedback)).one()
    assert feedback.safeguarding is False
    chat.send(text="also my carer doesnt feed me")
    session.expire_all()
    alert = session.scalars(select(SafeguardingAlert)).one()
    assert session.get(Feedback, feedback.id).safeguarding is True
    assert alert.feedback_id == feedback.id


# --- the check-in: the bot asks when a message might mean harm ------------------------------------

MIGHT_MEAN_HARM = "my carer shouts at me all the time"


def check_in(client) -> ApiChat:
    chat = ApiChat(client)
    chat.send(text=MIGHT_MEAN_HARM)
    assert "I want to check you're OK" in " ".join(chat.texts())
    assert {"check_in:yes", "check_in:no", "nav:help_now"} <= {b["value"] for b in chat.last["buttons"]}
    return chat


@pytest.mark.parametrize("answer", [{"choice": "check_in:yes"}, {"text": "yeah he does"}])
def test_yes_to_a_check_in_alerts_the_duty_team_with_the_words(client, session, mock_slack, answer):
    chat = check_in(client)
    assert session.scalars(select(SafeguardingAlert)).all() == []
    chat.send(**answer)
    alert = session.scalars(select(SafeguardingAlert)).one()
    assert alert.text.startswith(MIGHT_MEAN_HARM)  # the words that worried us, and the answer if typed
    assert answer.get("text", "") in alert.text
    asked = session.scalars(select(SafeguardingCheckIn)).one()
    assert (asked.answer, asked.alert_id) == ("yes", alert.id)


def test_no_to_a_check_in_is_recorded_and_nobody_is_alerted(client, session, mock_slack):
    chat = check_in(client)
    chat.send(choice="check_in:no")
    assert session.scalars(select(SafeguardingAlert)).all() == []
    asked = session.scalars(select(SafeguardingCheckIn)).one()
    assert (asked.answer, asked.alert_id) == ("no", None)
    assert "Let's carry on" in " ".join(chat.texts())


def test_an_unclear_answer_to_a_check_in_alerts(client, session, mock_slack):
    chat = check_in(client)
    chat.send(text="idk")
    assert session.scalars(select(SafeguardingAlert)).one().text == MIGHT_MEAN_HARM
    assert session.scalars(select(SafeguardingCheckIn)).one().answer == "unclear"


def test_check_ins_and_their_answers_are_on_the_dashboard(client, session, app, mock_slack):
    check_in(client).send(choice="check_in:no")
    create_staff_user("lead@trust.example", "complaints", "a-long-enough-password")
    client.post("/login", data={"email": "lead@trust.example", "password": "a-long-enough-password"})
    page = client.get("/staff/safeguarding/check-ins")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert MIGHT_MEAN_HARM in html and "No" in html


def test_two_acknowledgements_at_the_same_moment_write_one_event(app, client, session, mock_slack):
    """The alert's row is locked: whoever is first is named, the other is told who was."""
    import threading

    from feedbackbot.services.errors import Conflict
    from feedbackbot.services.safeguarding import acknowledge_alert

    people = [
        create_staff_user(f"lead{i}@trust.example", "manager", "a-long-enough-password", name=f"Lead {i}").id
        for i in range(3)
    ]
    for _trial in range(4):
        disclose(client)
        alert_id = session.scalars(select(SafeguardingAlert.id).order_by(SafeguardingAlert.id.desc())).first()
        session.commit()
        barrier = threading.Barrier(len(people))
        outcomes: list[str] = []

        def press(
            staff_id: int,
            alert_id: int = alert_id,
            barrier: threading.Barrier = barrier,
            outcomes: list[str] = outcomes,
        ) -> None:
            with app.app_context():
                staff = session.get(StaffUser, staff_id)
                session.commit()
                barrier.wait()
                try:
                    outcomes.append(acknowledge_alert(alert_id, staff=staff).acknowledged_by)
                except Conflict as exc:
                    outcomes.append(f"conflict: {exc}")
                finally:
                    session.remove()

        threads = [threading.Thread(target=press, args=(p,)) for p in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        outbox.wait_for_background()
        winners = [o for o in outcomes if not o.startswith("conflict")]
        assert len(outcomes) == len(people) and len(winners) == 1, outcomes
        assert all(f"already acknowledged by {winners[0]}" in o for o in outcomes if o not in winners)
        events = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "safeguarding.alert_acknowledged",
                AuditEvent.record_id == str(alert_id),
            )
        ).all()
        assert len(events) == 1
        assert session.get(SafeguardingAlert, alert_id).acknowledged_by == winners[0]
