"""The web chat, start to finish, as young people use it."""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from feedbackbot.models import Feedback
from tests.browser.chat_helpers import (
    choose,
    keyboard_choose,
    keyboard_type,
    open_chat,
    type_message,
    wait_for,
)

REFERENCE = re.compile(r"Your reference is (VOS-\d{4}-\d{6}) and your code is ([A-Z0-9]{4}-[A-Z0-9]{4})")


def shown_reference(page) -> tuple[str, str]:
    wait_for(page, "Your reference is")
    match = REFERENCE.search(page.locator("#chat-log").inner_text())
    assert match, page.locator("#chat-log").inner_text()
    return match.group(1), match.group(2)


def test_a_compliment_given_anonymously(page, session):
    open_chat(page)
    expect(page.get_by_text("you don't have to give your name", exact=False).first).to_be_visible()
    choose(page, "Something good")
    wait_for(page, "What was good?")
    type_message(page, "Kez my social worker always rings back")
    wait_for(page, "What is it about?")
    choose(page, "My social worker or PA")
    choose(page, "Stay anonymous")
    wait_for(page, "Here's what you told us")
    choose(page, "Send it")
    reference, _ = shown_reference(page)
    feedback = session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
    assert (feedback.kind, feedback.anonymous, feedback.channel) == ("compliment", True, "web_chat")
    assert feedback.text == "Kez my social worker always rings back"
    assert feedback.name is None


def test_a_complaint_with_contact_details(page, session):
    open_chat(page)
    choose(page, "Something is wrong")
    wait_for(page, "What happened?")
    type_message(page, "My family time was cancelled twice and nobody told me why")
    choose(page, "Family time")
    choose(page, "Give my name")
    wait_for(page, "What's your name?")
    type_message(page, "Jay")
    choose(page, "Phone")
    wait_for(page, "What's your phone number?")
    type_message(page, "07700 900123")
    choose(page, "Make a complaint")
    choose(page, "Me, it's about me")
    wait_for(page, "Would you like an advocate?")
    choose(page, "Yes please")
    choose(page, "Send it")
    reference, code = shown_reference(page)
    wait_for(page, "We will tell you we have your complaint by")
    feedback = session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
    assert (feedback.kind, feedback.anonymous, feedback.name) == ("complaint", False, "Jay")
    assert (feedback.contact_method, feedback.contact_value) == ("phone", "07700 900123")
    assert feedback.advocate_requested is True
    # and they can come back with the reference and code
    page.get_by_role("link", name="Check on something I told you").click()
    page.get_by_label("Your reference").fill(reference)
    page.get_by_label("Your code").fill(code)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name=reference)).to_be_visible()
    expect(page.get_by_text("No reply yet")).to_be_visible()


def test_the_same_flow_with_the_keyboard_only(page, session):
    open_chat(page)
    keyboard_choose(page, "Something good")
    wait_for(page, "What was good?")
    keyboard_type(page, "The summer trip was brilliant")
    wait_for(page, "What is it about?")
    keyboard_choose(page, "Something else")
    wait_for(page, "Do you want to tell us your name?")
    keyboard_choose(page, "Stay anonymous")
    wait_for(page, "Shall we send it?")
    keyboard_choose(page, "Send it")
    reference, _ = shown_reference(page)
    assert session.scalars(select(Feedback).where(Feedback.reference == reference)).one().kind == "compliment"


def test_a_reload_resumes_the_conversation(page, session):
    open_chat(page)
    choose(page, "An idea")
    wait_for(page, "What's your idea?")
    type_message(page, "A film night for care leavers")
    wait_for(page, "What is it about?")
    page.reload()
    wait_for(page, "A film night for care leavers")
    expect(page.locator("#chat-log li")).to_have_count(8)
    choose(page, "Something else")
    choose(page, "Stay anonymous")
    choose(page, "Send it")
    reference, _ = shown_reference(page)
    assert session.scalars(select(Feedback).where(Feedback.reference == reference)).one().text == (
        "A film night for care leavers"
    )


def test_what_young_people_write_is_shown_as_text(page):
    open_chat(page)
    choose(page, "Something good")
    wait_for(page, "What was good?")
    type_message(page, '<img src=x onerror="window.hacked=1">thanks')
    wait_for(page, '<img src=x onerror="window.hacked=1">thanks')
    assert page.evaluate("() => window.hacked") is None
    assert page.locator("#chat-log img").count() == 0


def test_leave_this_site_quickly_forgets_the_chat(page):
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(body="<h1>Weather</h1>", content_type="text/html"),
    )
    open_chat(page)
    choose(page, "Something is wrong")
    wait_for(page, "What happened?")
    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url("https://www.bbc.co.uk/**")
    page.goto(page.url)  # still on the weather page; going back to the chat starts afresh
    page.go_back()
    page.goto("/")
    wait_for(page, "What would you like to tell us?")
    expect(page.locator("#chat-log")).not_to_contain_text("What happened?")


def test_the_chat_page_has_no_serious_accessibility_problems(page):
    open_chat(page)
    choose(page, "Something is wrong")
    wait_for(page, "What happened?")
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def test_the_chat_page_is_usable_at_200_percent_zoom(page):
    page.set_viewport_size({"width": 640, "height": 800})
    open_chat(page)
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    assert overflow is False
    choose(page, "Something good")
    wait_for(page, "What was good?")


def test_the_page_loads_nothing_from_other_sites(page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_chat(page)
    assert requested and all(url.startswith(live_server) for url in requested)
