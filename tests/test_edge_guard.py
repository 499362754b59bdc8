"""Bad bytes and big numbers at the edge: every route that takes text or an id answers 4xx, never 500.

NUL bytes and lone surrogates cannot be stored in PostgreSQL; ids of 2**31 or more do not fit its
integer columns. Each route in the URL map is sent each of them, in each path parameter and in
every body and query field, with a signed-in member of staff, a staff API token and a chat's own
token, so the request gets as far as it can.
"""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from feedbackbot.models import ApiToken, ConversationMessage, Feedback, LoopTask, SafeguardingAlert, StaffUser
from feedbackbot.services import advocacy, complaints, letters, outbox
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user, issue_api_token
from feedbackbot.web.guard import DatabaseIdConverter
from tests.slack_helpers import SIGNING_SECRET, interaction, signature
from tests.test_chat_api import ApiChat

PASSWORD = "a-long-enough-password"
NUL = "\x00"
SURROGATE = "\ud800"
BIG = str(2**31)
FIELDS = [
    "text",
    "choice",
    "channel",
    "reference",
    "code",
    "outcome",
    "reason",
    "message",
    "method",
    "on",
    "procedure",
    "relationship",
    "feedback_reference",
    "complainant_name",
    "lead",
    "lead_email",
    "answer",
    "late_reason",
    "email",
    "password",
    "name",
    "q",
]


@pytest.fixture
def app_config(slack_config):
    return {**slack_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def world(app, client, session, mock_slack):
    """One of everything a route can name, and the credentials to reach it."""
    admin = create_staff_user("admin@trust.example", "admin", PASSWORD, name="Admin Person")
    token = issue_api_token(admin, "t")
    idea = record_feedback(kind="idea", text="a youth club", channel="web_chat")
    complaints.record_outcome(admin, idea, "we are opening one")
    task = session.scalars(select(LoopTask)).one()
    wrong = record_feedback(kind="complaint", text="no family time", channel="web_chat")
    case = complaints.open_complaint(
        admin, procedure="statutory", relationship="self", feedback_reference=wrong.reference
    )
    complaints.acknowledge_complaint(admin, case)
    letter = letters.letters_for(case)[0]
    complaints.record_advocate_offer(admin, case, "accepted")
    referral = advocacy.referral_for(wrong)
    chat = ApiChat(client)
    chat.send(text="my step dad hits me when he is drunk")
    outbox.wait_for_background()
    alert = session.scalars(select(SafeguardingAlert)).one()
    values = {
        "conversation_id": chat.id,
        "reference": case.reference,
        "task_id": str(task.id),
        "alert_id": str(alert.id),
        "token_id": str(session.scalars(select(ApiToken.id)).first()),
        "letter_id": str(letter.id),
        "referral_id": str(referral.id),
        "action": "close",
        "step": "referred",
        "staff_id": str(session.scalars(select(StaffUser.id)).first()),
        "request_id": "1",
        "token": "a-reset-token",
        "key": "stages",  # a report table (/staff/reports/<key>.csv)
        "action_id": "1",  # a learning action (/staff/learning/<action_id>/done)
        "item_id": "1",  # a "you said, we did" entry
    }
    return {"token": token, "chat": chat, "values": values, "idea": idea.reference}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield rule, method


def _path(rule, values: dict[str, str]) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule.rule)


def _request(client, world, method: str, path: str, **kwargs):
    headers = {
        "Authorization": f"Bearer {world['token']}",
        "X-Conversation-Token": world["chat"].token,
    }
    return client.open(path, method=method, headers=headers, **kwargs)


def _is_id(rule, arg: str) -> bool:
    return isinstance(rule._converters[arg], DatabaseIdConverter)


def _sign_in(client):
    response = client.post("/login", data={"email": "admin@trust.example", "password": PASSWORD})
    assert response.status_code == 302


def _assert_refused(response, what):
    assert response.status_code == 400, (what, response.status_code, response.get_data(as_text=True)[:300])
    body = response.get_data(as_text=True)
    assert "cannot be stored" in body, (what, body[:300])


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
def test_bad_text_in_any_field_of_any_route_is_a_clear_400(app, client, world, session, bad):
    _sign_in(client)
    messages_before = session.scalar(select(func.count()).select_from(ConversationMessage))
    feedback_before = session.scalar(select(func.count()).select_from(Feedback))
    checked = 0
    for rule, method in _routes(app):
        path = _path(rule, world["values"])
        what = f"{method} {rule.rule}"
        body = {name: f"a{bad}b" for name in FIELDS}
        if method == "GET" and bad == NUL:
            _assert_refused(_request(client, world, method, path, query_string={"q": f"x{bad}"}), what)
        elif method == "GET":  # URLs are UTF-8 bytes: a lone surrogate can only come in JSON
            _assert_refused(_request(client, world, method, path, json={"q": f"x{bad}"}), what)
        else:
            _assert_refused(_request(client, world, method, path, json=body), what + " (JSON)")
            if bad == NUL:  # a form body is UTF-8 bytes: a lone surrogate cannot be sent in one
                _assert_refused(_request(client, world, method, path, data=body), what + " (form)")
        for arg in rule.arguments:
            values = {**world["values"], arg: f"x{bad}" if bad == NUL else "x%ED%A0%80"}
            response = _request(client, world, method, _path(rule, values), json={"text": "hello"})
            assert response.status_code < 500, (what, arg, response.status_code)
            if _is_id(rule, arg):  # not a number: no route matches
                assert response.status_code == 404, (what, arg, response.status_code)
            elif bad == NUL:
                _assert_refused(response, f"{what} <{arg}>")
        checked += 1
    assert checked > 30
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ConversationMessage)) == messages_before
    assert session.scalar(select(func.count()).select_from(Feedback)) == feedback_before


def test_ids_past_the_database_integer_are_404_on_every_route(app, client, world):
    _sign_in(client)
    numeric = 0
    for rule, method in _routes(app):
        for arg in rule.arguments:
            values = {**world["values"], arg: BIG}
            response = _request(client, world, method, _path(rule, values), json={"text": "hello"})
            what = f"{method} {rule.rule} <{arg}>"
            assert response.status_code < 500, (what, response.status_code)
            if _is_id(rule, arg):
                numeric += 1
                assert response.status_code == 404, (what, response.status_code)
    assert numeric >= 4


def test_the_refusal_is_a_page_for_people_and_json_for_the_api(client, world):
    _sign_in(client)
    page = client.post(f"/staff/feedback/{world['idea']}/outcome", data={"outcome": "done\x00"})
    assert page.status_code == 400
    assert page.mimetype == "text/html"
    assert "cannot be stored" in page.get_data(as_text=True)
    api = world["chat"].send(text="hello\x00")  # (ApiChat checks the answer against the OpenAPI document)
    assert api.status_code == 400
    assert api.json["error"]["message"].startswith("`text` holds a character")


def test_a_slack_timestamp_that_is_not_a_number_is_401(client, world):
    body = "command=%2Fvoices&text=help"
    for timestamp in ("soon", "12ab", "1e9", "-5", ""):
        response = client.post(
            "/slack/events",
            data=body,
            content_type="application/x-www-form-urlencoded",
            headers={"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=abc"},
        )
        assert response.status_code == 401, timestamp
    # A real signature still gets through the guard to bolt.
    now = int(time.time())
    response = client.post(
        "/slack/events",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={
            "X-Slack-Request-Timestamp": str(now),
            "X-Slack-Signature": signature(body, now, SIGNING_SECRET),
        },
    )
    assert response.status_code != 401


def test_ids_past_the_database_integer_inside_forms_and_slack_buttons(client, world, mock_slack, caplog):
    _sign_in(client)
    reference = world["values"]["reference"]
    for action, form in (
        ("assign_lead", {"lead": BIG}),
        ("learning_done", {"item": BIG, "evidence": "done"}),
        ("learning_action", {"action": "train", "owner": BIG, "due_on": "2026-12-01"}),
    ):
        response = client.post(f"/staff/complaints/{reference}/{action}", data=form)
        assert 400 <= response.status_code < 500, (action, response.status_code)
    payload = {
        "type": "block_actions",
        "user": {"id": "U0OTHER", "name": "sam.on.duty"},
        "team": {"id": "T0TEST"},
        "channel": {"id": "C0DUTY"},
        "trigger_id": "1.2.3",
        "actions": [{"action_id": "safeguarding_ack", "value": BIG, "type": "button", "block_id": "b"}],
        "response_url": "https://hooks.slack.invalid/actions/1",
    }
    with caplog.at_level("ERROR"):
        assert interaction(client, payload).status_code == 200
    assert "Traceback" not in caplog.text and "out of range" not in caplog.text
    [told] = mock_slack.calls_to("chat.postEphemeral")
    assert f"no safeguarding alert {BIG}" in told.args["text"]
