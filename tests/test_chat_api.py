"""The chat's JSON API: conversations, messages, coming back with a reference, and its errors."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from feedbackbot.models import Conversation, ConversationMessage, Feedback, FeedbackReply
from feedbackbot.services.chat import new_access_code
from tests.openapi_check import assert_matches_openapi

CONVERSATIONS = "/api/conversations"
CONVERSATION = "/api/conversations/{conversation_id}"
MESSAGES = "/api/conversations/{conversation_id}/messages"


class ApiChat:
    """A front end talking to the API."""

    def __init__(self, client, channel: str = "api") -> None:
        self.client = client
        response = client.post(CONVERSATIONS, json={"channel": channel})
        assert response.status_code == 201, response.json
        assert_matches_openapi(response, CONVERSATIONS, "post")
        self.id = response.json["id"]
        self.token = response.json["token"]
        self.last = response.json

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Conversation-Token": self.token}

    def send(self, **body):
        response = self.client.post(f"/api/conversations/{self.id}/messages", json=body, headers=self.headers)
        assert_matches_openapi(response, MESSAGES, "post")
        if response.status_code == 200:
            self.last = response.json
        return response

    def texts(self) -> list[str]:
        return [m["text"] for m in self.last["messages"]]


def complete_complaint(chat: ApiChat) -> None:
    chat.send(choice="kind:wrong")
    chat.send(text="my family time got cancelled twice and nobody told me why")
    chat.send(choice="topic:family")
    chat.send(choice="identity:name")
    chat.send(text="Jay")
    chat.send(choice="contact:phone")
    chat.send(text="07700 900123")
    chat.send(choice="route:formal")
    chat.send(choice="writer:self")
    chat.send(choice="advocate:yes")
    chat.send(choice="confirm:send")


def test_a_complaint_through_the_api_is_stored_before_the_reference_is_shown(client, session):
    chat = ApiChat(client)
    complete_complaint(chat)
    reference = chat.last["reference"]
    assert reference and reference.startswith("VOS-")
    assert reference in chat.texts()[0]
    feedback = session.scalars(select(Feedback)).one()
    assert (feedback.reference, feedback.kind, feedback.channel) == (reference, "complaint", "api")
    assert (feedback.name, feedback.contact_method, feedback.contact_value) == (
        "Jay",
        "phone",
        "07700 900123",
    )
    assert feedback.advocate_requested is True
    assert feedback.topic == "family"
    assert feedback.access_code_hash.startswith("hmac-sha256$")
    conversation = session.get(Conversation, chat.id)
    assert conversation.feedback_id == feedback.id


def test_reading_the_conversation_back_resumes_it(client):
    chat = ApiChat(client, channel="web_chat")
    chat.send(choice="kind:good")
    chat.send(text="thank you kez")
    response = client.get(f"/api/conversations/{chat.id}", headers=chat.headers)
    assert response.status_code == 200
    assert_matches_openapi(response, CONVERSATION, "get")
    texts = [m["text"] for m in response.json["messages"]]
    assert texts[:3] == [
        "Hi, I'm the Voices of Sandwell chat. You can tell us something good, share an idea, tell us something is wrong or ask a question."
        ' If you ever need help fast, type "help me" and we will get help for you straight away.',
        "Only a small team at the Trust reads this. You don't have to give your name. If you tell us you are not safe, we will pass it on to keep you safe.",
        "What would you like to tell us?",
    ]
    assert "Something good" in texts and "thank you kez" in texts
    assert response.json["buttons"][0]["value"] == "topic:worker"
    assert response.json["step"] == "topic"


def test_a_saved_conversation_does_not_send_twice(client, session):
    chat = ApiChat(client)
    complete_complaint(chat)
    again = chat.send(choice="confirm:send")
    assert again.status_code == 200
    assert session.scalars(select(Feedback)).all() != [] and len(session.scalars(select(Feedback)).all()) == 1


def test_nothing_is_shown_when_saving_fails_and_a_retry_saves_once(client, session, monkeypatch):
    chat = ApiChat(client)
    chat.send(choice="kind:good")
    chat.send(text="thank you sam")
    chat.send(choice="topic:worker")
    chat.send(choice="identity:anonymous")
    from feedbackbot.extensions import db

    real_commit = db.session.commit

    def failing_commit():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", failing_commit)
    response = client.post(
        f"/api/conversations/{chat.id}/messages", json={"choice": "confirm:send"}, headers=chat.headers
    )
    assert response.status_code == 500
    assert "VOS-" not in response.get_data(as_text=True)
    monkeypatch.setattr(db.session, "commit", real_commit)
    db.session.rollback()
    assert session.scalars(select(Feedback)).all() == []
    retry = chat.send(choice="confirm:send")
    assert retry.status_code == 200 and chat.last["reference"]
    assert len(session.scalars(select(Feedback)).all()) == 1


# --- coming back --------------------------------------------------------------------------------


def saved_chat(client) -> tuple[str, str]:
    chat = ApiChat(client)
    chat.send(choice="kind:idea")
    chat.send(text="a film night")
    chat.send(choice="topic:other")
    chat.send(choice="identity:anonymous")
    chat.send(choice="confirm:send")
    text = chat.texts()[0]
    code = text.split("your code is ")[1].split(".")[0]
    return chat.last["reference"], code


def test_coming_back_with_reference_and_code_shows_status_and_replies(client, session):
    reference, code = saved_chat(client)
    feedback = session.scalars(select(Feedback)).one()
    feedback.replies.append(FeedbackReply(text="We are planning a film night in March!", method="web"))
    session.commit()
    response = client.post(
        "/api/feedback/status", json={"reference": reference.lower(), "code": code.replace("-", " ")}
    )
    assert response.status_code == 200
    assert_matches_openapi(response, "/api/feedback/status", "post")
    assert response.json["status"] == "received"
    assert [r["text"] for r in response.json["replies"]] == ["We are planning a film night in March!"]


def test_a_wrong_code_or_someone_elses_code_finds_nothing(client):
    reference, code = saved_chat(client)
    other_reference, other_code = saved_chat(client)
    for ref, c in [
        (reference, new_access_code()),
        (reference, other_code),
        (other_reference, code),
        ("VOS-2026-999999", code),
    ]:
        response = client.post("/api/feedback/status", json={"reference": ref, "code": c})
        assert response.status_code == 404
        assert_matches_openapi(response, "/api/feedback/status", "post")
        assert "film night" not in response.get_data(as_text=True)


def test_check_page_shows_only_that_feedback(client, session):
    reference, code = saved_chat(client)
    feedback = session.scalars(select(Feedback)).one()
    feedback.replies.append(FeedbackReply(text="<b>Thanks</b> - we will do it", method="web"))
    session.commit()
    page = client.post("/check", data={"reference": reference, "code": code})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "&lt;b&gt;Thanks&lt;/b&gt; - we will do it" in html
    assert "a film night" not in html  # the page shows replies and status, not what they wrote
    wrong = client.post("/check", data={"reference": reference, "code": "AAAA-AAAA"})
    assert wrong.status_code == 404
    assert "find that reference and code" in wrong.get_data(as_text=True)


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("{}", "application/json"),
        ('{"choice": 7}', "application/json"),
        ('{"text": ["a"]}', "application/json"),
        ("text=hi", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_messages_are_400(client, body, content_type):
    chat = ApiChat(client)
    response = client.post(
        f"/api/conversations/{chat.id}/messages", data=body, content_type=content_type, headers=chat.headers
    )
    assert response.status_code == 400
    assert_matches_openapi(response, MESSAGES, "post")
    assert response.json["error"]["message"]


def test_unknown_conversation_or_wrong_token_is_404(client):
    chat = ApiChat(client)
    for conversation_id, headers in [
        ("0" * 32, chat.headers),
        (chat.id, {"X-Conversation-Token": "guess"}),
        (chat.id, {}),
    ]:
        response = client.get(f"/api/conversations/{conversation_id}", headers=headers)
        assert response.status_code == 404
        assert_matches_openapi(response, CONVERSATION, "get")
        response = client.post(
            f"/api/conversations/{conversation_id}/messages", json={"text": "hi"}, headers=headers
        )
        assert response.status_code == 404


def test_a_too_long_message_is_413_and_nothing_is_stored(client, app, session):
    chat = ApiChat(client)
    before = session.query(ConversationMessage).count()
    response = chat.send(text="x" * (app.config["MAX_MESSAGE_CHARS"] + 1))
    assert response.status_code == 413
    assert "longer than" in response.json["error"]["message"]
    assert session.query(ConversationMessage).count() == before


def test_unknown_channel_is_400(client):
    response = client.post(CONVERSATIONS, json={"channel": "carrier-pigeon"})
    assert response.status_code == 400
    assert_matches_openapi(response, CONVERSATIONS, "post")


# --- the document itself ------------------------------------------------------------------------


def test_openapi_document_describes_every_public_api_route(client, app):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.1")
    documented = set(document["paths"])
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json"
    }
    assert routes <= documented, routes - documented
