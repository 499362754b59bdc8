"""Scenarios through the staff API: holds, stale deadlines, early Stage 2 requests, windows from
receipt, late corporate acknowledgements, independent Stage 2 leads, mediation and findings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from feedbackbot.core import timekeeping
from feedbackbot.services.config import bundled
from feedbackbot.services.users import create_staff_user, issue_api_token
from tests.openapi_check import assert_matches_openapi
from tests.support import today_is


@pytest.fixture(autouse=True)
def frozen():
    today_is(date(2026, 11, 23))
    yield
    timekeeping.freeze(None)


@pytest.fixture
def api(app, client):
    people = {
        "officer": create_staff_user(
            "officer@trust.example", "complaints", "a-long-enough-password", name="Morgan"
        ),
        "lead1": create_staff_user("lead1@trust.example", "manager", "a-long-enough-password", name="Jordan"),
        "lead2": create_staff_user("lead2@trust.example", "manager", "a-long-enough-password", name="Priya"),
    }
    headers = {"Authorization": f"Bearer {issue_api_token(people['officer'], 'tests')}"}

    class Api:
        def open(self, received: str, procedure: str = "statutory", channel: str = "web_chat") -> str:
            response = client.post(
                "/api/staff/complaints",
                json={
                    "text": "My family time keeps getting cancelled",
                    "channel": channel,
                    "procedure": procedure,
                    "relationship": "self",
                    "received_on": received,
                },
                headers=headers,
            )
            assert response.status_code == 201, response.json
            return response.json["reference"]

        def act(self, reference: str, action: str, status: int = 200, **body):
            response = client.post(f"/api/staff/complaints/{reference}/{action}", json=body, headers=headers)
            assert response.status_code == status, response.json
            assert_matches_openapi(response, "/api/staff/complaints/{reference}/{action}", "post")
            return response.json

        def case(self, reference: str) -> dict:
            response = client.get(f"/api/staff/complaints/{reference}", headers=headers)
            assert_matches_openapi(response, "/api/staff/complaints/{reference}", "get")
            return response.json

    return Api()


def test_a_hold_needs_a_configured_reason(api):
    ref = api.open("2026-11-23")
    refused = api.act(ref, "pause", 409, reason="waiting for manager")
    message = refused["error"]["message"]
    assert "only for one of these reasons" in message and "police_enquiry" in message


def test_a_hold_that_does_not_stop_the_clock_counts_against_the_limit(api):
    today_is(date(2026, 11, 20))
    ref = api.open("2026-09-01")  # due 15 Sep
    api.act(ref, "pause", reason="waiting_for_information", on="2026-09-02")
    during = api.case(ref)
    assert during["stages"][0]["respond_by"] == "2026-09-15"
    assert [d["what"] for d in during["deadlines"]] == ["acknowledge", "response"]  # still due
    api.act(ref, "resume", on="2026-11-02")
    case = api.act(ref, "respond", outcome="upheld", text="We are sorry.", on="2026-11-10")
    stage = case["stages"][0]
    assert stage["paused_working_days"] == 43
    assert stage["clock_stopped_working_days"] == 0
    assert stage["respond_by"] == "2026-09-15"
    assert stage["answered_in_time"] is False
    assert stage["pauses"][0]["stops_clock"] is False


def test_a_clock_stopping_hold_moves_the_deadline(api):
    today_is(date(2026, 11, 20))
    ref = api.open("2026-09-01")
    api.act(ref, "pause", reason="police_enquiry", on="2026-09-03")
    assert api.case(ref)["deadlines"] == []  # nothing falls due while the clock is stopped
    api.act(ref, "resume", on="2026-09-24")
    case = api.act(ref, "respond", outcome="not_upheld", text="We looked into it.", on="2026-09-29")
    stage = case["stages"][0]
    assert (stage["paused_working_days"], stage["clock_stopped_working_days"]) == (15, 15)
    assert stage["respond_by"] == "2026-10-06"
    assert stage["answered_in_time"] is True


def test_answering_a_stage_closes_all_its_deadlines(api):
    ref = api.open("2026-11-23")
    assert [d["what"] for d in api.case(ref)["deadlines"]] == ["acknowledge", "response"]
    case = api.act(ref, "respond", outcome="upheld", text="Sorry.")
    assert [d["what"] for d in case["deadlines"]] == ["request for stage 2 window closes"]
    api.act(ref, "escalate")
    api.act(ref, "respond", outcome="upheld", text="Stage 2 answer.")
    api.act(ref, "escalate")
    api.act(ref, "panel_met")
    api.act(ref, "panel_reported")
    final = api.act(ref, "respond", outcome="upheld", text="The Trust's answer to the panel.")
    assert final["deadlines"] == []  # no stale "stage 3 acknowledge"


def test_stage_2_may_be_asked_for_once_stage_1_is_overdue(api):
    today_is(date(2026, 12, 7))
    ref = api.open("2026-11-23")  # due 7 Dec
    refused = api.act(ref, "escalate", 409)
    assert "once the answer is overdue (after 07 Dec 2026)" in refused["error"]["message"]
    today_is(date(2026, 12, 8))
    case = api.act(ref, "escalate")
    assert case["stage"] == 2
    assert case["stages"][0]["answered_in_time"] is None
    assert case["stages"][1]["received"] == "2026-12-08"


@pytest.mark.parametrize(
    ("method", "received", "window"),
    [("letter", "2026-12-08", "2027-01-08"), ("email", "2026-12-04", "2027-01-06")],
)
def test_the_request_window_counts_from_receipt_of_the_response(api, method, received, window):
    today_is(date(2026, 12, 4))
    ref = api.open("2026-11-23", channel="letter")
    case = api.act(ref, "respond", outcome="not_upheld", text="We found no fault.", method=method)
    stage = case["stages"][0]
    assert (stage["response_method"], stage["response_received_on"]) == (method, received)
    assert stage["next_stage_until"] == window


def test_a_late_corporate_acknowledgement_does_not_move_the_response_deadline(api):
    today_is(date(2026, 12, 4))
    late = api.open("2026-11-23", procedure="corporate", channel="email")  # acknowledge by 30 Nov
    case = api.act(late, "acknowledge", on="2026-12-04")
    assert case["stages"][0]["respond_by"] == "2026-12-14"  # 10 from 30 Nov, not from 4 Dec
    early = api.open("2026-11-23", procedure="corporate", channel="email")
    case = api.act(early, "acknowledge", on="2026-11-24")
    assert case["stages"][0]["respond_by"] == "2026-12-08"  # 10 from 24 Nov


def test_a_stage_2_led_by_the_stage_1_lead_is_warned_about(api):
    ref = api.open("2026-11-23")
    api.act(ref, "assign_lead", lead_email="lead1@trust.example")
    api.act(ref, "respond", outcome="not_upheld", text="No fault.")
    api.act(ref, "escalate")
    case = api.act(ref, "assign_lead", lead_email="lead1@trust.example")
    assert case["warnings"] == [
        "Stage 2 is led by Jordan, who led Stage 1: it should be someone independent of Stage 1"
    ]
    case = api.act(ref, "assign_lead", lead_email="lead2@trust.example")
    assert case["warnings"] == [] and case["stages"][1]["lead"] == "Priya"


@pytest.fixture
def refuse_same_lead(tmp_path: Path) -> Path:
    data = yaml.safe_load(bundled("procedures.yaml").read_text(encoding="utf-8"))
    data["stage2_same_lead"] = "refuse"
    path = tmp_path / "procedures.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture
def app_config(request, tmp_path):
    if "refuse_same_lead" in request.fixturenames:
        return {"PROCEDURES_FILE": str(request.getfixturevalue("refuse_same_lead"))}
    return {}


def test_a_stage_2_led_by_the_stage_1_lead_can_be_refused(refuse_same_lead, api):
    ref = api.open("2026-11-23")
    api.act(ref, "assign_lead", lead_email="lead1@trust.example")
    api.act(ref, "respond", outcome="not_upheld", text="No fault.")
    api.act(ref, "escalate")
    refused = api.act(ref, "assign_lead", 409, lead_email="lead1@trust.example")
    assert "must be led by someone independent" in refused["error"]["message"]


def test_mediation_on_a_stage_2_request_keeps_the_request_date(api):
    """The issue's case: Stage 1 answered 25 Sep, mediation 28 Sep to 2 Nov, not resolved."""
    today_is(date(2026, 11, 3))
    ref = api.open("2026-09-14")
    api.act(ref, "respond", outcome="not_upheld", text="No fault found.", on="2026-09-25")
    api.act(ref, "escalate", on="2026-09-28")
    case = api.act(ref, "start_mediation", on="2026-09-28")
    assert case["mediation"] == "in_progress"
    assert [d["what"] for d in case["deadlines"]] == ["acknowledge"]  # the Stage 2 clock stands still
    api.act(ref, "statement_agreed", 409)
    case = api.act(ref, "mediation_outcome", outcome="not_resolved", on="2026-11-02")
    assert case["status"] == "open" and case["mediation"] == "not_resolved"
    stage2 = case["stages"][1]
    assert stage2["received"] == "2026-09-28" and stage2["late_request_reason"] is None
    assert stage2["mediation"] == {
        "started_on": "2026-09-28",
        "outcome": "not_resolved",
        "ended_on": "2026-11-02",
    }
    assert stage2["clock_stopped_working_days"] == 25
    assert stage2["respond_by"] == "2026-12-07"  # 25 working days plus the 25 of mediation


@pytest.mark.parametrize("outcome", ["resolved", "withdrawn"])
def test_mediation_resolved_or_withdrawn_closes_the_case(api, outcome):
    ref = api.open("2026-11-09")
    api.act(ref, "respond", outcome="not_upheld", text="No fault found.", on="2026-11-16")
    api.act(ref, "escalate", on="2026-11-17")
    api.act(ref, "start_mediation", on="2026-11-18")
    case = api.act(ref, "mediation_outcome", outcome=outcome)
    assert (case["status"], case["mediation"], case["deadlines"]) == ("closed", outcome, [])


def test_stage_2_findings_on_each_agreed_point(api):
    ref = api.open("2026-11-09")
    api.act(ref, "respond", outcome="not_upheld", text="No fault found.", on="2026-11-16")
    api.act(ref, "escalate", on="2026-11-17")
    points = ["Family time was cancelled twice", "Nobody explained why"]
    case = api.act(ref, "statement_agreed", points=points)
    assert case["stages"][1]["points"] == points
    missing = api.act(ref, "respond", 409, text="The adjudication.")
    assert "give a finding for each" in missing["error"]["message"]
    partial = api.act(ref, "respond", 409, text="x", findings=[{"point": 1, "finding": "upheld"}])
    assert "Nobody explained why" in partial["error"]["message"]
    case = api.act(
        ref,
        "respond",
        text="The adjudication: we agree with the investigating officer.",
        findings=[
            {"point": 1, "finding": "upheld"},
            {"point": "Nobody explained why", "finding": "not_upheld"},
        ],
    )
    stage = case["stages"][1]
    assert stage["outcome"] == "partly_upheld"
    assert stage["findings"] == [
        {"point": "Family time was cancelled twice", "finding": "upheld"},
        {"point": "Nobody explained why", "finding": "not_upheld"},
    ]


def test_the_monthly_report_counts_how_mediation_ended_and_what_is_still_in_progress(api, runner):
    today_is(date(2026, 11, 30))
    for outcome in ("resolved", "not_resolved", "withdrawn", None):
        ref = api.open("2026-11-02")
        api.act(ref, "respond", outcome="not_upheld", text="No fault found.", on="2026-11-09")
        api.act(ref, "escalate", on="2026-11-10")
        api.act(ref, "start_mediation", on="2026-11-11")
        if outcome:
            api.act(ref, "mediation_outcome", outcome=outcome, on="2026-11-20")
    result = runner.invoke(args=["report", "monthly", "--month", "2026-11", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["mediation"] == {
        "resolved": 1,
        "not resolved": 1,
        "withdrawn": 1,
        "in progress": 1,
    }
