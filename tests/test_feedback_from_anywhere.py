"""Feedback logged by any member of staff on a child's behalf, the worker role, and advocacy
referrals tracked from the chat's promise to the advocate's contact, with reminders."""

from __future__ import annotations

from datetime import date

import pytest

from feedbackbot.core import timekeeping
from feedbackbot.services import complaints as svc
from feedbackbot.services.reminders import due_deadlines
from feedbackbot.services.users import create_staff_user, issue_api_token
from tests.openapi_check import assert_matches_openapi
from tests.support import today_is
from tests.test_chat_api import ApiChat, complete_complaint

PASSWORD = "a-long-enough-password"


@pytest.fixture(autouse=True)
def frozen():
    today_is(date(2026, 11, 23))
    yield
    timekeeping.freeze(None)


@pytest.fixture
def people(app):
    out = {}
    for role, email in (
        ("worker", "sw@trust.example"),
        ("worker", "iro@trust.example"),
        ("complaints", "officer@trust.example"),
    ):
        person = create_staff_user(email, role, PASSWORD, name=email.split("@")[0].upper())
        out[email.split("@")[0]] = {
            "user": person,
            "token": {"Authorization": f"Bearer {issue_api_token(person, 't')}"},
        }
    return out


def test_a_worker_logs_what_a_child_told_them_and_sees_only_that(client, people):
    logged = client.post(
        "/api/staff/feedback",
        json={
            "kind": "compliment",
            "text": "Kez always rings back",
            "channel": "in_person",
            "child_name": "Jay",
        },
        headers=people["sw"]["token"],
    )
    assert logged.status_code == 201, logged.json
    assert_matches_openapi(logged, "/api/staff/feedback", "post")
    complaint = client.post(
        "/api/staff/feedback",
        json={
            "kind": "complaint",
            "text": "my review was cancelled",
            "channel": "phone",
            "received_on": "2026-11-20",
        },
        headers=people["sw"]["token"],
    )
    assert complaint.status_code == 201
    bad = client.post(
        "/api/staff/feedback",
        json={"kind": "complaint", "text": "x", "channel": "fax"},
        headers=people["sw"]["token"],
    )
    assert bad.status_code == 400
    mine = client.get("/api/staff/feedback/mine", headers=people["sw"]["token"])
    assert_matches_openapi(mine, "/api/staff/feedback/mine", "get")
    assert [f["reference"] for f in mine.json["feedback"]] == [
        logged.json["reference"],
        complaint.json["reference"],
    ]
    assert client.get("/api/staff/feedback/mine", headers=people["iro"]["token"]).json["feedback"] == []
    # Nothing else: not complaints, not the advocacy list.
    assert client.get("/api/staff/complaints", headers=people["sw"]["token"]).status_code == 403
    assert client.get("/api/staff/advocacy", headers=people["sw"]["token"]).status_code == 403
    # The complaints team sees the logged complaint as a new complaint.
    queue = client.get("/api/staff/queue", headers=people["officer"]["token"]).json["items"]
    assert {"kind": "new_complaint", "reference": complaint.json["reference"]}.items() <= queue[0].items()

    client.post("/login", data={"email": "iro@trust.example", "password": PASSWORD})
    assert client.get(f"/staff/feedback/{logged.json['reference']}").status_code == 403
    assert client.get("/staff/concerns").status_code == 403
    page = client.post("/staff/log", data={"kind": "idea", "channel": "letter", "text": "a film night"})
    assert page.status_code == 303
    html = client.get("/staff/log").get_data(as_text=True)
    assert "idea" in html and "VOS-2026-000003" in html
    assert client.get("/staff/feedback/VOS-2026-000003").status_code == 200


def test_the_chats_advocate_promise_is_tracked_to_contact(client, people):
    chat = ApiChat(client)
    complete_complaint(chat)  # says yes to an advocate
    assert any("advocate" in t for t in chat.texts())
    listed = client.get("/api/staff/advocacy", headers=people["officer"]["token"])
    assert_matches_openapi(listed, "/api/staff/advocacy", "get")
    (referral,) = listed.json["referrals"]
    assert (referral["offered_by"], referral["answer"], referral["accepted_on"], referral["contact_by"]) == (
        "the chat",
        "accepted",
        "2026-11-23",
        "2026-11-30",
    )
    due = [d for d in due_deadlines(date(2026, 11, 26)) if d.record_type == "advocacy_referral"]
    assert [(d.kind, d.what, d.due) for d in due] == [
        ("advocate_contact", "refer to an advocate", date(2026, 11, 30))
    ]
    base = f"/api/staff/advocacy/{referral['id']}"
    early = client.post(f"{base}/contact", json={}, headers=people["officer"]["token"])
    assert early.status_code == 409 and "referral" in early.json["error"]["message"]
    referred = client.post(f"{base}/referred", json={"to": "NYAS"}, headers=people["officer"]["token"])
    assert referred.status_code == 200 and referred.json["referred_to"] == "NYAS"
    assert_matches_openapi(referred, "/api/staff/advocacy/{referral_id}/referred", "post")
    today_is(date(2026, 11, 25))
    contact = client.post(f"{base}/contact", json={}, headers=people["officer"]["token"])
    assert_matches_openapi(contact, "/api/staff/advocacy/{referral_id}/contact", "post")
    assert contact.json["contact_made_on"] == "2026-11-25"
    assert client.get("/api/staff/advocacy", headers=people["officer"]["token"]).json["referrals"] == []
    assert [d for d in due_deadlines(date(2026, 11, 26)) if d.record_type == "advocacy_referral"] == []


def test_an_advocate_offered_on_a_case_is_tracked_too(client, people):
    complaint = svc.open_complaint(
        people["officer"]["user"], procedure="statutory", relationship="self", text="x", channel="letter"
    )
    svc.record_advocate_offer(people["officer"]["user"], complaint, "accepted")
    (referral,) = client.get("/api/staff/advocacy", headers=people["officer"]["token"]).json["referrals"]
    assert referral["reference"] == complaint.reference and referral["offered_by"] == "OFFICER"


def test_a_parent_writing_in_the_chat_is_not_taken_for_the_young_person(client, people, session):
    from feedbackbot.models import Feedback

    chat = ApiChat(client)
    chat.send(choice="kind:wrong")
    chat.send(text="my daughter's family time got cancelled twice and nobody told her why")
    chat.send(choice="topic:family")
    chat.send(choice="identity:anonymous")
    chat.send(choice="route:formal")
    chat.send(choice="writer:parent")
    assert any("The young person can have an advocate" in t for t in chat.texts())
    chat.send(choice="advocate:yes")
    chat.send(choice="confirm:send")
    feedback = session.query(Feedback).one()
    assert feedback.writer == "parent"
    assert svc.writer_relationship(feedback) == "parent"
    client.post("/login", data={"email": "officer@trust.example", "password": PASSWORD})
    page = client.get(f"/staff/feedback/{feedback.reference}").get_data(as_text=True)
    assert '<option selected value="parent">' in page


def test_the_advocacy_referral_on_the_dashboard(client, people):
    chat = ApiChat(client)
    complete_complaint(chat)
    reference = "VOS-2026-000001"  # the only record
    client.post("/login", data={"email": "officer@trust.example", "password": PASSWORD})
    page = f"/staff/feedback/{reference}"
    html = client.get(page).get_data(as_text=True)
    assert "Advocate to make contact by" in html and "Monday 30 November 2026" in html
    assert client.post(f"{page}/advocacy/contact", data={}).status_code == 409  # not referred yet
    assert client.post(f"{page}/advocacy/referred", data={"to": "NYAS"}).status_code == 303
    assert "NYAS" in client.get(page).get_data(as_text=True)
    today_is(date(2026, 12, 1))
    assert "Overdue" in client.get(page).get_data(as_text=True)
    assert client.post(f"{page}/advocacy/contact", data={}).status_code == 303
    assert "made contact Tuesday 1 December 2026" in client.get(page).get_data(as_text=True)
    assert client.post(f"{page}/advocacy/nonsense", data={}).status_code == 404
