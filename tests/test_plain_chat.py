"""The chat without JavaScript: plain forms, one step a page, the same engine and safety path."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from feedbackbot.models import Conversation, Feedback, SafeguardingAlert


def page_text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def send(client, **form) -> str:
    """Post as the page's form does (CSRF is off in these tests), follow the redirect."""
    response = client.post("/chat/plain", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page_text(page)


def test_a_whole_complaint_without_javascript(client, session):
    first = page_text(client.get("/chat/plain"))
    assert "What would you like to tell us?" in first
    assert 'type "help me"' in first  # the safe word is told in the first message
    assert 'value="nav:help_now"' in first and "Leave this site quickly" in first
    assert "What happened?" in send(client, choice="kind:wrong")
    page = send(client, message="My family time was cancelled twice and nobody told me why")
    assert "What is it about?" in page
    assert 'value="nav:cancel"' in page and 'value="nav:go_back"' in page
    send(client, choice="topic:family")
    send(client, choice="identity:anonymous")
    send(client, choice="route:formal")
    send(client, choice="writer:self")
    page = send(client, choice="advocate:yes")
    assert "Shall we send it?" in page
    page = send(client, choice="confirm:send")
    feedback = session.scalars(select(Feedback)).one()
    assert (feedback.kind, feedback.channel) == ("complaint", "web_chat")
    assert f'<strong class="nowrap">{feedback.reference}</strong>' in page
    code = re.search(r"your code is ([A-Z0-9]{4}-[A-Z0-9]{4})", page).group(1)
    assert f'<strong class="nowrap">{code}</strong>' in page


def test_a_disclosure_without_javascript_alerts_staff_and_shows_help(client, session):
    client.get("/chat/plain")
    page = send(client, message="my step dad hits me when he is drunk")
    assert "I'm really glad you told us." in page and "0800 1111" in page and "999" in page
    alert = session.scalars(select(SafeguardingAlert)).one()
    assert alert.text == "my step dad hits me when he is drunk"
    conversation = session.scalars(select(Conversation)).one()
    assert alert.conversation_id == conversation.id


def test_get_help_now_works_at_any_step_without_javascript(client, session):
    client.get("/chat/plain")
    send(client, choice="kind:good")
    page = send(client, choice="nav:help_now")
    assert "Are you safe right now?" in page
    assert session.scalars(select(SafeguardingAlert)).one().source == "button"


def test_a_message_too_long_is_refused_plainly_and_kept(client, app, session):
    client.get("/chat/plain")
    long = "a" * (app.config["MAX_MESSAGE_CHARS"] + 35)
    response = client.post("/chat/plain", data={"message": long})
    assert response.status_code == 413
    text = page_text(response)
    assert "35 characters too long" in text and "Nothing has been sent yet" in text
    assert long in text  # what they wrote is still in the box
    assert session.scalars(select(Feedback)).first() is None


def test_an_empty_message_gets_a_plain_answer(client):
    client.get("/chat/plain")
    response = client.post("/chat/plain", data={"message": "  "})
    assert response.status_code == 400
    assert "Type a message first" in page_text(response)


def test_staff_see_words_not_codes_for_what_the_chat_stored(client, session, app):
    from feedbackbot.services.users import create_staff_user
    from feedbackbot.web.filters import actor_words, code_words

    client.get("/chat/plain")
    send(client, choice="kind:good")
    send(client, message="kez always rings me back")
    send(client, choice="topic:worker")
    send(client, choice="identity:anonymous")
    send(client, choice="confirm:send")
    feedback = session.scalars(select(Feedback)).one()
    create_staff_user("p@trust.example", "participation", "a-long-pass-phrase-1", name="Pat")
    client.post("/login", data={"email": "p@trust.example", "password": "a-long-pass-phrase-1"})
    page = page_text(client.get(f"/staff/feedback/{feedback.reference}"))
    assert "About</dt><dd>My social worker or PA</dd>" in page.replace(" <", "<").replace("> ", ">")
    assert actor_words("public:web_chat") == "the young person (the web chat)"
    assert actor_words("system:clock") == "the clock"
    assert code_words("partly_upheld") == "Partly upheld"


def test_leaving_quickly_forgets_the_chat_even_without_javascript(client, session):
    client.get("/chat/plain")
    said = send(client, message="my step dad hits me when he is drunk")
    assert "I'm really glad you told us." in said
    assert "I'm really glad you told us." in page_text(client.get("/chat/plain"))  # kept until leaving
    left = client.get("/leave")
    assert left.status_code == 303 and left.headers["Location"] == "https://www.bbc.co.uk/weather"
    again = page_text(client.get("/chat/plain"))
    assert "I'm really glad you told us." not in again  # whoever opens it next sees a new chat
    assert len(session.scalars(select(Conversation)).all()) == 2
