"""The clock with a controlled time: reminders on the right working days and hours, exactly once."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from feedbackbot.core import timekeeping
from feedbackbot.models import OutboxMessage
from feedbackbot.services import complaints as svc
from feedbackbot.services import reminders
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user
from tests.slack_helpers import interaction

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


@pytest.fixture
def app_config(slack_config):
    return {**slack_config, "OUTBOX_SEND_IMMEDIATELY": False}


@pytest.fixture
def now():
    def move(moment: datetime) -> None:
        timekeeping.freeze(moment)

    move(at(2026, 11, 23, 10))
    yield move
    timekeeping.freeze(None)


@pytest.fixture
def case(app, now):
    """A statutory complaint received Monday 23 November 2026: acknowledge by Thu 26, respond by Mon 7 Dec."""
    officer = create_staff_user(
        "officer@trust.example", "complaints", "a-long-enough-password", name="Morgan Ellis"
    )
    lead = create_staff_user("lead@trust.example", "manager", "a-long-enough-password", name="Jordan Reid")
    lead.slack_user_id = "U0LEAD"
    feedback = record_feedback(kind="complaint", text="they never listen", channel="web_chat")
    complaint = svc.open_complaint(
        officer, feedback_reference=feedback.reference, procedure="statutory", relationship="self"
    )
    svc.assign_lead(officer, complaint, lead)
    return {"complaint": complaint, "officer": officer, "lead": lead}


def run_clock(runner) -> str:
    result = runner.invoke(args=["clock", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def reminder_posts(mock_slack) -> list[tuple[str, str]]:
    return [
        (c.args["channel"], (c.args["metadata"]["event_payload"]["key"]).split(":")[5])
        for c in mock_slack.posted()
        if c.args["metadata"]["event_payload"]["key"].startswith("reminder:")
    ]


def test_warnings_on_the_right_working_days_and_hours_and_only_once(case, runner, mock_slack, now):
    now(at(2026, 11, 24, 8, 30))  # Tuesday, before opening
    run_clock(runner)
    assert reminder_posts(mock_slack) == []
    now(at(2026, 11, 24, 9, 5))  # two working days before the acknowledgement deadline
    run_clock(runner)
    assert reminder_posts(mock_slack) == [("C0COMPLAINTS", "warn2"), ("D0LEAD", "warn2")]
    post = mock_slack.posted("C0COMPLAINTS")[0]
    assert "Thursday 26 November" in json.dumps(post.args["blocks"])
    assert "they never listen" not in json.dumps(post.args)  # a reference and a link, never the words
    for minute in (10, 15, 40):
        now(at(2026, 11, 24, 9, minute))
        run_clock(runner)
    assert len(reminder_posts(mock_slack)) == 2
    now(at(2026, 11, 26, 9, 0))
    run_clock(runner)
    assert reminder_posts(mock_slack)[-2:] == [("C0COMPLAINTS", "warn0"), ("D0LEAD", "warn0")]


def test_nothing_at_weekends_or_out_of_hours_and_it_goes_at_the_next_opening(case, runner, mock_slack, now):
    now(at(2026, 11, 26, 18, 0))  # Thursday evening: the deadline day is over
    run_clock(runner)
    for moment in (at(2026, 11, 26, 23), at(2026, 11, 27, 6)):
        now(moment)
        run_clock(runner)
    assert [step for _, step in reminder_posts(mock_slack)] == []
    now(at(2026, 11, 27, 9, 0))  # Friday opening: overdue
    run_clock(runner)
    assert ("C0COMPLAINTS", "overdue") in reminder_posts(mock_slack)
    before = len(mock_slack.posted())
    for moment in (at(2026, 11, 28, 10), at(2026, 11, 29, 15)):  # the weekend
        now(moment)
        run_clock(runner)
    assert [k for k in mock_slack.posted_keys()[before:] if k.startswith("reminder:")] == []


def test_overdue_escalates_to_managers_daily_until_done(case, runner, mock_slack, now):
    for day in (27, 30):
        now(at(2026, 11, day, 9, 1))
        run_clock(runner)
    now(at(2026, 12, 1, 9, 1))
    run_clock(runner)
    escalations = [(ch, step) for ch, step in reminder_posts(mock_slack) if step.startswith("escalate")]
    assert escalations == [
        ("C0MANAGERS", "escalate-2026-11-30"),
        ("D0LEAD", "escalate-2026-11-30"),
        ("C0MANAGERS", "escalate-2026-12-01"),
        ("D0LEAD", "escalate-2026-12-01"),
    ]
    svc.acknowledge_complaint(case["officer"], case["complaint"], at(2026, 12, 1).date())
    now(at(2026, 12, 2, 9, 1))
    run_clock(runner)
    assert not any(step == "escalate-2026-12-02" for _, step in reminder_posts(mock_slack))


def test_a_clock_down_for_hours_catches_up_once(case, runner, mock_slack, now):
    now(at(2026, 11, 24, 8, 0))
    run_clock(runner)
    now(at(2026, 11, 24, 13, 30))  # down from 8:00 to 13:30: the 9:00 warning was missed
    run_clock(runner)
    run_clock(runner)
    assert reminder_posts(mock_slack) == [("C0COMPLAINTS", "warn2"), ("D0LEAD", "warn2")]


def test_after_days_down_stale_warnings_are_superseded_not_sent_late(case, runner, mock_slack, now, session):
    now(at(2026, 11, 27, 11))  # down Tue to Fri: warn2, warn0 missed; now overdue
    run_clock(runner)
    assert [step for _, step in reminder_posts(mock_slack)] == ["overdue", "overdue"]
    superseded = session.scalars(select(OutboxMessage).where(OutboxMessage.status == "cancelled")).all()
    assert sorted(r.key.split(":")[5] for r in superseded if r.key.endswith(":channel")) == ["warn0", "warn2"]


def test_loop_tasks_and_bank_holidays(app, runner, mock_slack, now):
    participation = create_staff_user(
        "pt@trust.example", "participation", "a-long-enough-password", name="Sam Okafor"
    )
    now(at(2026, 12, 18, 10))
    feedback = record_feedback(kind="idea", text="a film night", channel="web_chat")
    svc.record_outcome(participation, feedback, "Booked")  # loop task due in 5 working days: Tue 29 Dec
    now(at(2026, 12, 23, 9, 1))
    run_clock(runner)
    assert [step for _, step in reminder_posts(mock_slack)] == ["warn2"]
    for moment in (at(2026, 12, 25, 10), at(2026, 12, 28, 10)):  # Christmas Day, Boxing Day substitute
        now(moment)
        run_clock(runner)
    assert [step for _, step in reminder_posts(mock_slack)] == ["warn2"]
    now(at(2026, 12, 29, 9, 1))
    run_clock(runner)
    assert [step for _, step in reminder_posts(mock_slack)] == ["warn2", "warn0"]


def test_digests_daily_weekly_and_the_monthly_report_once_each(case, runner, mock_slack, now):
    now(at(2026, 12, 1, 8, 45))
    run_clock(runner)
    assert not [k for k in mock_slack.posted_keys() if k.startswith(("digest", "report"))]
    now(at(2026, 12, 1, 9, 2))  # Tuesday 1 December: first working day of the month
    run_clock(runner)
    run_clock(runner)
    keys = [k for k in mock_slack.posted_keys() if k.startswith(("digest", "report"))]
    assert keys == ["digest:daily:2026-12-01", "report:monthly:2026-11"]
    daily = mock_slack.posted("C0COMPLAINTS")
    digest = next(c for c in daily if c.args["metadata"]["event_payload"]["key"] == "digest:daily:2026-12-01")
    assert "Overdue" in json.dumps(digest.args["blocks"]) and "Jordan Reid" in json.dumps(
        digest.args["blocks"]
    )
    now(at(2026, 12, 7, 9, 2))  # Monday: the weekly digest for managers
    run_clock(runner)
    assert "digest:weekly:2026-W50" in mock_slack.posted_keys()
    assert [
        c.args["channel"]
        for c in mock_slack.posted()
        if c.args["metadata"]["event_payload"]["key"].startswith("digest:weekly")
    ] == ["C0MANAGERS"]


def test_a_reminder_can_be_acknowledged_from_slack(case, runner, mock_slack, now, client, session):
    now(at(2026, 11, 24, 9, 5))
    run_clock(runner)
    key = next(k for k in mock_slack.posted_keys() if k.endswith(":channel"))
    payload = {
        "type": "block_actions",
        "user": {"id": "U0LEAD", "name": "jordan"},
        "team": {"id": "T0TEST"},
        "channel": {"id": "C0COMPLAINTS"},
        "trigger_id": "1",
        "actions": [{"action_id": "reminder_ack", "value": key, "type": "button", "block_id": "b"}],
        "response_url": "https://hooks.slack.invalid/1",
    }
    assert interaction(client, payload).status_code == 200
    run_clock(runner)
    updates = mock_slack.calls_to("chat.update")
    assert len(updates) == 1 and "Seen by Jordan Reid" in json.dumps(updates[0].args["blocks"])


def test_healthz_reports_the_clock_and_a_slack_outage(case, runner, client, mock_slack, now, app):
    assert client.get("/healthz").json["checks"]["clock"]["status"] == "unhealthy"
    now(at(2026, 11, 24, 9, 5))
    mock_slack.mode = "error500"
    run_clock(runner)
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json["checks"]["clock"]["status"] == "ok"
    assert health.json["checks"]["notifications"]["pending"] == 3  # two reminders and the daily digest
    now(at(2026, 11, 24, 9, 30))
    run_clock(runner)  # still failing, and the oldest has waited 25 minutes
    health = client.get("/healthz").json
    assert health["status"] == "degraded"
    assert health["checks"]["notifications"]["message"] == "Slack notifications are not getting through"
    client.post("/login", data={"email": "officer@trust.example", "password": "a-long-enough-password"})
    page = client.get("/staff/notifications").get_data(as_text=True)
    assert "Slack: internal_error" in page
    assert "Slack notification" in client.get("/staff/").get_data(as_text=True)
    mock_slack.mode = "ok"
    now(at(2026, 11, 24, 10, 30))
    run_clock(runner)
    health = client.get("/healthz").json
    assert health["status"] == "ok" and health["checks"]["notifications"]["pending"] == 0
    assert "Nothing waiting" in client.get("/staff/notifications").get_data(as_text=True)
    now(at(2026, 11, 24, 10, 45))  # nothing has run for 15 minutes
    assert client.get("/healthz").status_code == 503


def test_the_scheduler_is_set_up_deliberately(app):
    from feedbackbot.clock.scheduler import build_scheduler

    scheduler = build_scheduler(app)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {
        "heartbeat",
        "deadline-index",
        "safeguarding-renotify",
        "reminders",
        "digests",
        "sar-reminders",
        "retention",
        "outbox-dispatch",
    }
    assert all(job.coalesce and job.max_instances == 1 for job in jobs.values())
    assert jobs["deadline-index"].misfire_grace_time == 8 * 3600
    assert str(scheduler.timezone) == "Europe/London"


def test_a_sweep_reads_only_cases_near_a_deadline(case, app, now, session):
    far = record_feedback(kind="complaint", text="x", channel="letter")
    complaint = svc.open_complaint(
        case["officer"], feedback_reference=far.reference, procedure="statutory", relationship="parent"
    )
    svc.acknowledge_complaint(case["officer"], complaint)
    svc.extend_deadline(case["officer"], complaint, "complex")
    assert complaint.next_deadline_on.isoformat() == "2026-12-21"
    refs = {d.reference for d in reminders.due_deadlines(at(2026, 11, 24).date())}
    assert refs == {case["complaint"].reference}


def test_the_monthly_report_cli(case, runner, now):
    svc.respond_to_complaint(case["officer"], case["complaint"], "partly_upheld", "Sorry.")
    now(at(2026, 12, 1, 10))
    result = runner.invoke(args=["report", "monthly", "--format", "json"])
    data = json.loads(result.output)
    assert data["period"] == "November 2026"
    assert data["feedback_by_kind"] == {"complaint": 1}
    assert (data["complaints_opened"], data["responses"], data["answered_in_time_percent"]) == (1, 1, 100)
    assert data["outcomes"] == {"partly upheld": 1}
    assert runner.invoke(args=["report", "monthly", "--month", "2026-13"]).exit_code == 2
    text = runner.invoke(args=["report", "monthly", "--month", "2026-11"]).output
    assert "answered: 1, 100% within timescale" in text


def test_future_time_travel_is_refused_outside_tests(tmp_path, monkeypatch):
    from feedbackbot import create_app
    from feedbackbot.settings import ConfigError

    monkeypatch.setenv("FEEDBACKBOT_CLOCK_NOW", "2026-12-01T09:00:00+00:00")
    with pytest.raises(ConfigError, match="tests only"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "ENV_NAME": "development"})
