"""The person who complained is told what happens: letters filled from the case and checked
against the glossary, the status with its dates, and asking for the next stage themselves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from feedbackbot.core import timekeeping
from feedbackbot.core.letters import LETTER_KINDS, fill
from feedbackbot.extensions import db
from feedbackbot.models import OutboxMessage
from feedbackbot.services import complaints as svc
from feedbackbot.services import letters
from feedbackbot.services.chat import hash_access_code
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.glossary import checker
from feedbackbot.services.users import create_staff_user, issue_api_token
from tests.openapi_check import assert_matches_openapi
from tests.support import today_is

CODE = "ABCD-EFGH"


@pytest.fixture(autouse=True)
def frozen():
    today_is(date(2026, 11, 23))
    yield
    timekeeping.freeze(None)


@pytest.fixture
def staff(app):
    officer = create_staff_user(
        "officer@trust.example", "complaints", "a-long-enough-password", name="Morgan"
    )
    lead = create_staff_user("lead@trust.example", "manager", "a-long-enough-password", name="Jordan Reid")
    return {
        "officer": officer,
        "lead": lead,
        "token": {"Authorization": f"Bearer {issue_api_token(officer, 't')}"},
    }


def chat_feedback(kind: str = "complaint", text: str = "my family time got cancelled twice"):
    feedback = record_feedback(kind=kind, text=text, channel="web_chat")
    feedback.access_code_hash = hash_access_code(CODE)
    db.session.commit()
    return feedback


@pytest.fixture
def case(staff):
    feedback = chat_feedback()
    complaint = svc.open_complaint(
        staff["officer"], feedback_reference=feedback.reference, procedure="statutory", relationship="self"
    )
    return complaint


def status(client, reference: str) -> dict:
    response = client.post("/api/feedback/status", json={"reference": reference, "code": CODE})
    assert response.status_code == 200, response.json
    assert_matches_openapi(response, "/api/feedback/status", "post")
    return response.json


def ask(client, reference: str, reason: str = "Nobody listened to me", status_code: int = 201) -> dict:
    response = client.post(
        "/api/feedback/next-stage", json={"reference": reference, "code": CODE, "reason": reason}
    )
    assert response.status_code == status_code, response.json
    assert_matches_openapi(response, "/api/feedback/next-stage", "post")
    return response.json


def test_the_complainant_follows_their_complaint_and_asks_for_stage_2(client, staff, case):
    ref = case.reference
    before = status(client, ref)
    assert (before["stage"], before["respond_by"], before["letters"], before["next_stage_until"]) == (
        1,
        "2026-12-07",
        [],
        None,
    )
    assert before["can_ask_next_stage"] is False
    assert "7 December" in before["next_steps"]
    ask(client, ref, status_code=409)

    svc.assign_lead(staff["officer"], case, staff["lead"])
    svc.acknowledge_complaint(staff["officer"], case)
    acknowledged = status(client, ref)
    (letter,) = acknowledged["letters"]
    assert (letter["kind"], letter["sent_on"]) == ("acknowledgement", "2026-11-23")
    assert "Jordan Reid is the manager looking into your complaint" in letter["text"]
    assert "Monday 7 December 2026" in letter["text"]
    assert "advocate" in letter["text"]
    assert checker().check(letter["text"]) == []

    today_is(date(2026, 12, 4))
    svc.respond_to_complaint(
        staff["officer"], case, "not_upheld", "We looked at what happened with family time."
    )
    answered = status(client, ref)
    assert answered["respond_by"] is None and answered["outcome"] == "not_upheld"
    assert answered["next_stage_until"] == "2027-01-06"
    assert answered["can_ask_next_stage"] is True
    outcome = answered["letters"][-1]
    assert outcome["kind"] == "outcome"
    assert "We looked at what happened with family time." in outcome["text"]
    assert "Stage 2 (Investigation)" in outcome["text"] and "Wednesday 6 January 2027" in outcome["text"]
    assert "Ofsted" in outcome["text"]

    today_is(date(2026, 12, 10))
    ask(client, ref, reason=" ", status_code=400)
    requested = ask(client, ref, reason="Nobody asked me what I wanted")
    assert requested["stage"] == 2 and requested["respond_by"] == "2027-01-19"
    assert requested["status_text"] == "Your complaint is being looked into."
    again = ask(client, ref, status_code=409)
    assert "still looking at your complaint" in again["error"]["message"]

    case_json = client.get(f"/api/staff/complaints/{ref}", headers=staff["token"]).json
    stage2 = case_json["stages"][1]
    assert (stage2["received"], stage2["requested_by"]) == ("2026-12-10", "complainant")
    assert case_json["deadlines"][0] == {"what": "acknowledge", "due": "2026-12-15", "stage": 2}
    alert = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "complaint_request")).one()
    assert ref in alert.payload["text"] and "Nobody asked me" not in str(alert.payload)  # never their words


def test_a_late_request_is_refused_with_the_date_it_closed(client, staff, case):
    svc.respond_to_complaint(staff["officer"], case, "upheld", "We are sorry.")  # window to 21 Dec
    today_is(date(2026, 12, 22))
    refused = ask(client, case.reference, status_code=409)
    assert "ended on Monday 21 December 2026" in refused["error"]["message"]
    assert status(client, case.reference)["stage"] == 1


def test_feedback_that_is_not_a_complaint_has_no_next_stage_and_fitting_words(client, app):
    compliment = chat_feedback("compliment", "my carer is brilliant")
    body = status(client, compliment.reference)
    assert body["stage"] is None and body["letters"] == [] and body["next_stage_until"] is None
    assert "pass it on" in body["status_text"]
    refused = ask(client, compliment.reference, status_code=409)
    assert "not a complaint" in refused["error"]["message"]


def test_the_check_page_shows_the_case_and_takes_a_request(client, staff, case):
    svc.assign_lead(staff["officer"], case, staff["lead"])
    svc.acknowledge_complaint(staff["officer"], case)
    svc.respond_to_complaint(staff["officer"], case, "partly_upheld", "Family time will be kept.")
    page = client.post("/check", data={"reference": case.reference, "code": CODE}).get_data(as_text=True)
    for words in (
        "Stage 1 (Local resolution)",
        "Jordan Reid",
        "We agree with part of your complaint",
        "We have your complaint",
        "Our answer",
        "Family time will be kept.",
        "I&#39;m not happy - ask for the next stage",
    ):
        assert words in page, words
    empty = client.post("/check/next-stage", data={"reference": case.reference, "code": CODE, "reason": ""})
    assert empty.status_code == 400
    done = client.post(
        "/check/next-stage",
        data={"reference": case.reference, "code": CODE, "reason": "I was not listened to"},
    )
    assert done.status_code == 200
    assert "We have your request for Stage 2" in done.get_data(as_text=True)
    wrong = client.post(
        "/check/next-stage", data={"reference": case.reference, "code": "AAAA-AAAA", "reason": "x"}
    )
    assert wrong.status_code == 404


@pytest.mark.parametrize("relationship", ["self", "parent"])
@pytest.mark.parametrize("procedure", ["statutory", "corporate"])
def test_every_letter_template_passes_the_glossary(staff, relationship, procedure):
    complaint = svc.open_complaint(
        staff["officer"],
        procedure=procedure,
        relationship=relationship,
        text="x",
        channel="letter",
        complainant_name="Pat Doe",
    )
    view = svc.case_view(complaint)
    for kind in LETTER_KINDS:
        text = fill(letters.templates(), kind, letters.values(complaint, view, response="We are sorry."))
        assert "{" not in text and checker().check(text) == [], (kind, text)
        assert text.startswith("Dear Pat Doe,")


def test_a_response_in_words_young_people_asked_us_not_to_use_is_shown_first(client, staff, case):
    path = f"/api/staff/complaints/{case.reference}/respond"
    text = "We have spoken to your foster carer about your placement."
    found = client.post(path, json={"outcome": "upheld", "text": text}, headers=staff["token"])
    assert found.status_code == 422
    assert {f["text"].lower() for f in found.json["findings"]} == {"foster carer", "placement"}
    assert "your carer" in found.json["rewritten"]
    assert status(client, case.reference)["letters"] == []  # nothing was sent or recorded
    sent = client.post(
        path, json={"outcome": "upheld", "text": found.json["rewritten"]}, headers=staff["token"]
    )
    assert sent.status_code == 200 and sent.json["stages"][0]["responded_on"] == "2026-11-23"


def test_the_extension_and_final_letters_say_why_and_name_the_ombudsman(client, staff, case):
    svc.extend_deadline(staff["officer"], case, "We are waiting to speak to your social worker")
    svc.respond_to_complaint(staff["officer"], case, "not_upheld", "Stage 1 answer.")
    svc.escalate_complaint(staff["officer"], case)
    svc.respond_to_complaint(staff["officer"], case, "not_upheld", "Stage 2 answer.")
    svc.escalate_complaint(staff["officer"], case)
    svc.record_panel_meeting(staff["officer"], case)
    svc.record_panel_report(staff["officer"], case)
    svc.respond_to_complaint(staff["officer"], case, "partly_upheld", "The Trust accepts the panel's view.")
    sent = status(client, case.reference)["letters"]
    assert [x["kind"] for x in sent] == ["extension", "outcome", "outcome", "final"]
    extension = sent[0]["text"]
    assert "waiting to speak to your social worker" in extension
    assert "Monday 21 December 2026" in extension and "Ombudsman" in extension
    final = sent[-1]["text"]
    assert "Local Government and Social Care Ombudsman" in final and "Ofsted" in final
    assert "Stage 3" in sent[2]["text"]


def test_a_letter_can_be_previewed_and_printed_by_staff(client, staff, case):
    response = client.post(
        f"/api/staff/complaints/{case.reference}/letters/preview",
        json={"kind": "acknowledgement"},
        headers=staff["token"],
    )
    assert response.status_code == 200
    assert "We will give you our answer by Monday 7 December 2026" in response.json["text"]
    assert response.json["findings"] == []
    assert (
        client.post(
            f"/api/staff/complaints/{case.reference}/letters/preview",
            json={"kind": "poem"},
            headers=staff["token"],
        ).status_code
        == 400
    )
