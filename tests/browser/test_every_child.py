"""Every child can use it: safety in reach on a phone, their language, easy read, no JavaScript.

All at 390x844 (the `page` fixture), as a 14-year-old on a phone would use it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from feedbackbot.models import Feedback, SafeguardingAlert
from tests.browser.chat_helpers import choose, open_chat, type_message, wait_for

PUBLIC_PAGES = ["/", "/chat/plain", "/check", "/privacy", "/glossary"]
LANGUAGES = ["en", "pa", "ur", "pl"]


def type_in(page, text: str) -> None:
    """Type and send, whatever language the label is in."""
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")


def in_view(page, locator) -> bool:
    """True when the element is wholly inside the visible part of the screen."""
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0


def saved_reference(page) -> str:
    expect(page.locator("#saved-box")).to_be_visible()
    reference = page.locator("#saved-reference").inner_text()
    assert re.fullmatch(r"VOS-\d{4}-\d{6}", reference), reference
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator("#saved-code").inner_text())
    return reference


def test_the_quick_exit_and_get_help_now_stay_on_screen_after_20_messages(page):
    open_chat(page)
    for number in range(20):
        type_message(page, "help")
        expect(page.locator("#chat-list li.msg-me")).to_have_count(number + 1)
    page.mouse.wheel(0, 5000)
    assert in_view(page, page.get_by_role("link", name="Leave this site quickly"))
    assert in_view(page, page.get_by_role("button", name="Get help now"))


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_quick_exit_is_on_screen_on_every_public_page(page, path):
    page.goto(path)
    page.mouse.wheel(0, 5000)
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    assert in_view(page, page.get_by_role("link", name="Leave this site quickly"))


def test_escape_pressed_three_times_leaves_and_forgets_the_chat(page, live_server):
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(body="<h1>Weather</h1>", content_type="text/html"),
    )
    open_chat(page)
    choose(page, "Something is wrong")
    wait_for(page, "What happened?")
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url("https://www.bbc.co.uk/**")
    page.goto(f"{live_server}/")  # coming back starts afresh: the chat was forgotten
    wait_for(page, "What would you like to tell us?")
    expect(page.locator("#chat-log")).not_to_contain_text("What happened?")


def test_get_help_now_is_one_tap_away_at_every_step(page, session):
    open_chat(page)
    steps = [
        ("Something is wrong", "What happened?"),
        (None, "What is it about?"),
        ("Family time", "Do you want to tell us your name?"),
        ("Stay anonymous", "How would you like us to deal with it?"),
        ("Make a complaint", "Who is writing?"),
        ("Me, it's about me", "Would you like an advocate?"),
        ("No thanks", "Shall we send it?"),
        ("Change something", "What would you like to change?"),
    ]
    for label, question in steps:
        if label is None:
            type_message(page, "My family time was cancelled and nobody told me why")
        else:
            choose(page, label)
        wait_for(page, question)
        assert in_view(page, page.get_by_role("button", name="Get help now")), question
        if question not in {"What would you like to tell us?"}:
            expect(page.locator("#choices").get_by_role("button", name="Cancel")).to_be_visible()
    page.get_by_role("button", name="Get help now").click()
    wait_for(page, "Are you safe right now?")
    assert session.scalars(select(SafeguardingAlert)).one().source == "button"


def test_a_button_tap_does_not_open_the_keyboard(page):
    open_chat(page)
    choose(page, "Something good")
    wait_for(page, "What was good?")
    assert page.evaluate("() => document.activeElement.id") != "message"


def test_a_long_message_is_counted_and_never_cut(page, app):
    open_chat(page)
    choose(page, "Something is wrong")
    wait_for(page, "What happened?")
    limit = app.config["MAX_MESSAGE_CHARS"]
    text = "x" * (limit + 835)
    page.get_by_label("Type your message").fill(text)
    expect(page.locator("#char-count")).to_contain_text("835 characters too long")
    page.get_by_label("Type your message").press("Enter")
    expect(page.locator("#chat-status")).to_contain_text("835 characters too long")
    assert page.get_by_label("Type your message").input_value() == text  # nothing cut, nothing sent
    expect(page.locator("#chat-list li.msg-me")).to_have_count(1)  # only the button pressed
    page.get_by_label("Type your message").fill("x" * (limit - 50))
    expect(page.locator("#char-count")).to_contain_text("50 characters left")


def test_the_safe_word_is_told_at_the_start(page):
    open_chat(page)
    wait_for(page, 'type "help me"')
    # the privacy line is said once, by the chat
    expect(page.get_by_text("Only a small team at the Trust reads this")).to_have_count(1)


def test_a_whole_feedback_in_urdu_reads_right_to_left(page, session, tmp_path: Path):
    page.goto("/?lang=ur")
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == [
        "ur",
        "rtl",
    ]
    wait_for(page, "آپ ہمیں کیا بتانا چاہیں گے؟")
    choose(page, "کوئی اچھی بات")
    wait_for(page, "کیا اچھا تھا؟")
    type_in(page, "میری سوشل ورکر بہت اچھی ہیں")
    wait_for(page, "یہ کس بارے میں ہے؟")
    choose(page, "کچھ اور")
    choose(page, "نام نہ بتائیں")
    wait_for(page, "کیا ہم اسے بھیج دیں؟")
    choose(page, "بھیج دیں")
    reference = saved_reference(page)
    feedback = session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
    assert (feedback.kind, feedback.text) == ("compliment", "میری سوشل ورکر بہت اچھی ہیں")
    # The screenshot shows the page right to left: the bot speaks from the right, the young
    # person from the left, and the text runs right to left.
    page.screenshot(path=str(tmp_path / "urdu.png"), full_page=True)
    width = page.viewport_size["width"]
    bot = page.locator("#chat-list li.msg-bot .msg-text").first.bounding_box()
    me = page.locator("#chat-list li.msg-me .msg-text").first.bounding_box()
    assert bot["x"] + bot["width"] > width * 0.75 and me["x"] < width * 0.4
    assert page.locator(".msg-text").first.evaluate("e => getComputedStyle(e).direction") == "rtl"


def test_a_whole_complaint_in_punjabi(page, session):
    page.goto("/?lang=pa")
    wait_for(page, "ਤੁਸੀਂ ਸਾਨੂੰ ਕੀ ਦੱਸਣਾ ਚਾਹੋਗੇ?")
    choose(page, "ਕੁਝ ਗਲਤ ਹੈ")
    wait_for(page, "ਕੀ ਹੋਇਆ?")
    type_in(page, "ਮੇਰਾ ਪਰਿਵਾਰ ਨਾਲ ਸਮਾਂ ਦੋ ਵਾਰ ਰੱਦ ਹੋ ਗਿਆ")
    choose(page, "ਪਰਿਵਾਰ ਨਾਲ ਸਮਾਂ")
    choose(page, "ਨਾਮ ਨਾ ਦੱਸੋ")
    choose(page, "ਸ਼ਿਕਾਇਤ ਕਰੋ")
    choose(page, "ਮੈਂ, ਇਹ ਮੇਰੇ ਬਾਰੇ ਹੈ")
    choose(page, "ਨਹੀਂ, ਧੰਨਵਾਦ")
    wait_for(page, "ਕੀ ਅਸੀਂ ਇਸ ਨੂੰ ਭੇਜ ਦੇਈਏ?")
    choose(page, "ਭੇਜ ਦਿਓ")
    reference = saved_reference(page)
    wait_for(page, "ਤੁਹਾਡਾ ਹਵਾਲਾ ਨੰਬਰ")
    feedback = session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
    assert (feedback.kind, feedback.topic) == ("complaint", "family")
    expect(page.get_by_role("button", name="ਹੁਣੇ ਮਦਦ ਲਓ")).to_be_visible()


def test_the_easy_read_journey(page, session):
    page.goto("/?easy=1")
    wait_for(page, "Press a picture.")
    good = page.locator("#choices .picture-button", has_text="Something good")
    expect(good.locator(".picture")).to_have_text("⭐")
    good.click()
    wait_for(page, "What was good?")
    type_message(page, "my carer made my birthday cake")
    wait_for(page, "What is it about? Press a picture.")
    page.locator("#choices .picture-button", has_text="Where I live").click()
    page.locator("#choices .picture-button", has_text="Stay anonymous").click()
    page.locator("#choices .picture-button", has_text="Send it").click()
    reference = saved_reference(page)
    assert session.scalars(select(Feedback).where(Feedback.reference == reference)).one().topic == "home"


def test_read_aloud_is_offered_on_every_bot_message(page):
    open_chat(page)
    bot_messages = page.locator("#chat-list li.msg-bot")
    expect(bot_messages.first.get_by_role("button", name="Read aloud")).to_be_visible()
    assert page.locator("#chat-list li.msg-bot .read-aloud").count() == bot_messages.count()


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_a_whole_feedback_without_javascript(no_js_page, session):
    page = no_js_page
    page.goto("/")
    page.get_by_role("link", name="Use the chat without JavaScript").click()
    expect(page.locator(".chat-list")).to_contain_text("What would you like to tell us?")
    page.get_by_role("button", name="Something good").click()
    expect(page.locator(".chat-list")).to_contain_text("What was good?")
    page.get_by_label("Type your message").fill("The summer trip was brilliant")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_role("button", name="Something else").click()
    page.get_by_role("button", name="Stay anonymous").click()
    expect(page.locator(".chat-list")).to_contain_text("Shall we send it?")
    page.get_by_role("button", name="Send it").click()
    reference = page.locator(".saved-facts strong").first.inner_text()
    feedback = session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
    assert (feedback.kind, feedback.text) == ("compliment", "The summer trip was brilliant")


def test_a_disclosure_without_javascript(no_js_page, session):
    page = no_js_page
    page.goto("/chat/plain")
    page.get_by_label("Type your message").fill("my step dad hits me when he is drunk")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".chat-list")).to_contain_text("I'm really glad you told us.")
    expect(page.locator(".chat-list")).to_contain_text("0800 1111")
    expect(page.get_by_role("button", name="Get help now")).to_be_visible()
    assert session.scalars(select(SafeguardingAlert)).one().text == "my step dad hits me when he is drunk"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_serious_accessibility_problems_on_any_public_page_in_any_language(page, lang):
    problems = []
    for path in PUBLIC_PAGES:
        page.goto(f"{path}?lang={lang}")
        if path == "/":
            expect(page.locator("#chat-list li").first).to_be_visible()
        results = Axe().run(page)
        problems += [
            (path, v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
    assert problems == []
