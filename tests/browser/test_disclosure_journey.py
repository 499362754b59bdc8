"""A disclosure in the chat, then "carry on": it stays a safeguarding matter, never a compliment."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from feedbackbot.core import timekeeping
from feedbackbot.models import Feedback, SafeguardingAlert
from feedbackbot.services.reports import monthly_report
from feedbackbot.services.users import create_staff_user
from tests.browser.chat_helpers import choose, open_chat, type_message, wait_for
from tests.browser.test_chat_page import shown_reference
from tests.browser.test_staff_dashboard import PASSWORD, sign_in

DISCLOSURE = "my step dad hits me when mum is at work"


def test_a_disclosure_followed_by_carry_on_is_never_thanked_or_counted_as_a_compliment(
    browser, live_server, page, session
):
    create_staff_user("officer@trust.example", "complaints", PASSWORD, name="Morgan Ellis")
    create_staff_user("pt@trust.example", "participation", PASSWORD, name="Sam Okafor")
    open_chat(page)
    type_message(page, DISCLOSURE)
    wait_for(page, "A person at the Trust is being told about this now")
    choose(page, "I'm safe right now")
    choose(page, "Carry on")
    # The kind is asked with buttons, never guessed from the words of the disclosure.
    wait_for(page, "We have kept what you wrote")
    choose(page, "Something good")
    wait_for(page, "What is it about?")
    choose(page, "Where I live")
    choose(page, "Stay anonymous")
    wait_for(page, "Here's what you told us")
    choose(page, "Send it")
    reference, _ = shown_reference(page)
    log = page.locator("#chat-log").inner_text()
    assert "A person will read everything you told us and follow it up" in log
    assert "pass your thanks on" not in log

    feedback = session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
    assert feedback.safeguarding is True and feedback.text == DISCLOSURE
    assert session.scalars(select(SafeguardingAlert)).one().feedback_id == feedback.id
    today = timekeeping.today_in("Europe/London")
    assert monthly_report(today.year, today.month)["compliments"] == 0

    staff = browser.new_context(base_url=live_server)
    try:
        officer = staff.new_page()
        sign_in(officer, "officer@trust.example")
        row = officer.get_by_role("row").filter(has_text=reference)
        expect(row).to_contain_text("Feedback with a disclosure")
        staff.clear_cookies()
        participation = staff.new_page()
        sign_in(participation, "pt@trust.example")
        expect(participation.get_by_role("row").filter(has_text=reference)).to_have_count(0)
        expect(participation.get_by_text("New compliment")).to_have_count(0)
    finally:
        staff.close()
