"""Compliments celebrated: staff name who is thanked, pass the thanks on, and the monthly list."""

from __future__ import annotations

import csv
import io
from datetime import date

from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user
from tests.support import today_is

PASSWORD = "a-long-enough-password"


def test_staff_name_who_is_thanked_pass_it_on_and_see_the_month(client, app, session):
    create_staff_user("participation@trust.example", "participation", PASSWORD, name="Sam Okafor")
    today_is(date(2026, 10, 14))
    kind = record_feedback(
        kind="compliment", text="kez always rings me back, she is the best", channel="web_chat"
    )
    other = record_feedback(kind="compliment", text="the summer trip was brilliant", channel="web_chat")
    idea = record_feedback(kind="idea", text="a youth club", channel="web_chat")
    today_is(date(2026, 11, 2))
    assert (
        client.post("/login", data={"email": "participation@trust.example", "password": PASSWORD}).status_code
        == 302
    )

    assert (
        client.post(
            f"/staff/feedback/{kind.reference}/thanked", data={"thanked": "  Kez   Adams "}
        ).status_code
        == 303
    )
    page = client.get(f"/staff/feedback/{kind.reference}").get_data(as_text=True)
    assert "Thanking <strong>Kez Adams</strong>: not passed on yet." in page
    client.post(f"/staff/feedback/{kind.reference}/thanks-passed-on")
    session.refresh(kind)
    assert kind.thanks_passed_on_at is not None
    assert "already passed on" in client.post(
        f"/staff/feedback/{kind.reference}/thanks-passed-on", follow_redirects=True
    ).get_data(as_text=True)
    refused = client.post(
        f"/staff/feedback/{idea.reference}/thanked", data={"thanked": "Kez"}, follow_redirects=True
    )
    assert "not a compliment" in refused.get_data(as_text=True)
    assert client.post("/staff/feedback/VOS-2026-999999/thanked", data={"thanked": "Kez"}).status_code == 404

    listing = client.get("/staff/compliments").get_data(as_text=True)  # last month by default
    assert "October 2026" in listing and "Kez Adams" in listing and other.reference in listing
    rows = list(
        csv.reader(io.StringIO(client.get("/staff/compliments.csv?month=2026-10").get_data(as_text=True)))
    )
    assert rows[0] == ["Reference", "Received", "Staff member thanked", "Thanks passed on"]
    assert rows[1] == [kind.reference, "2026-10-14", "Kez Adams", "yes"]
    assert rows[2][2:] == ["", "no"]
    assert client.get("/staff/compliments?month=Oct").status_code == 400


def test_the_chat_records_who_the_young_person_wants_to_thank(client, app, session):
    from sqlalchemy import select

    from feedbackbot.models import Feedback
    from tests.test_chat_api import ApiChat

    chat = ApiChat(client, channel="web_chat")
    for step in (
        {"choice": "kind:good"},
        {"text": "the summer trip was brilliant"},
        {"choice": "topic:other"},
        {"choice": "identity:anonymous"},
        {"choice": "confirm:thanks"},
        {"text": "Priya who ran it"},
        {"choice": "confirm:send"},
    ):
        assert chat.send(**step).status_code == 200, step
    feedback = session.scalars(select(Feedback)).one()
    assert (feedback.kind, feedback.thanked) == ("compliment", "Priya who ran it")
