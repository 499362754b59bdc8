"""The complainant's journey in a browser: a complaint in the chat, the acknowledgement on /check
naming the lead and the date, the Stage 1 outcome letter, asking for the next stage, and Stage 2
on the dashboard with its request date. Every letter passes the glossary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from feedbackbot.core import timekeeping
from feedbackbot.services.glossary import checker
from feedbackbot.services.users import create_staff_user
from tests.browser.test_staff_dashboard import PASSWORD, complaint_from_the_chat, sign_in


@pytest.fixture(autouse=True)
def monday():
    timekeeping.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    yield
    timekeeping.freeze(None)


def check_page(page, reference: str, code: str) -> None:
    page.goto("/check")
    page.get_by_label("Your reference").fill(reference)
    page.get_by_label("Your code").fill(code)
    page.get_by_role("button", name="Check").click()


def test_the_complainant_is_told_what_happens_and_asks_for_stage_2(browser, live_server, app):
    create_staff_user("officer@trust.example", "complaints", PASSWORD, name="Morgan Ellis")
    create_staff_user("manager@trust.example", "manager", PASSWORD, name="Jordan Reid")
    young = browser.new_context(base_url=live_server)
    officer = browser.new_context(base_url=live_server)
    try:
        yp = young.new_page()
        reference, code = complaint_from_the_chat(yp)

        page = officer.new_page()
        sign_in(page, "officer@trust.example")
        page.get_by_role("row").filter(has_text=reference).get_by_role("link", name=reference).click()
        page.get_by_role("button", name="Open complaint case").click()
        page.get_by_label("Manager leading it").select_option(label="Jordan Reid (manager)")
        page.get_by_role("button", name="Assign").click()
        expect(page.get_by_text("Lead manager assigned.")).to_be_visible()
        page.get_by_role("button", name="Acknowledge").click()
        expect(page.get_by_text("Acknowledged.")).to_be_visible()

        check_page(yp, reference, code)
        facts = yp.locator("#complaint-facts")
        expect(facts).to_contain_text("Stage 1 (Local resolution)")
        expect(facts).to_contain_text("Jordan Reid")
        expect(facts).to_contain_text("Monday 7 December 2026")
        acknowledgement = yp.locator(".letter").first
        expect(acknowledgement).to_contain_text("Jordan Reid is the manager looking into your complaint")
        expect(acknowledgement).to_contain_text("by Monday 7 December 2026")
        expect(yp.get_by_role("button", name="I'm not happy - ask for the next stage")).to_have_count(0)

        page.get_by_label("Not upheld").check()
        page.get_by_label("The response").fill(
            "We checked what happened. Your family time was moved because the centre was closed."
        )
        page.get_by_role("button", name="Record response").click()
        expect(page.get_by_text("Response recorded.")).to_be_visible()

        check_page(yp, reference, code)
        outcome = yp.locator(".letter").nth(1)
        expect(outcome).to_contain_text("Our answer")
        expect(outcome).to_contain_text("Your family time was moved because the centre was closed.")
        expect(outcome).to_contain_text("Please ask by Monday 21 December 2026")
        for letter in yp.locator(".letter-text").all_inner_texts():
            assert checker().check(letter) == [], letter
        yp.get_by_label("Tell us why you are not happy with our answer").fill(
            "Nobody told me before it was moved."
        )
        yp.get_by_role("button", name="I'm not happy - ask for the next stage").click()
        expect(yp.locator("#notice")).to_contain_text("We have your request for Stage 2")
        expect(yp.locator("#complaint-facts")).to_contain_text("Stage 2 (Investigation)")

        page.goto("/staff/complaints")
        row = page.get_by_role("row").filter(has_text=reference)
        expect(row.get_by_role("cell").nth(2)).to_have_text("2")
        expect(row).to_contain_text("acknowledge by Thursday 26 November 2026")
        row.get_by_role("link", name=reference).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("stage 2 (Investigation)")
        stage2 = page.get_by_role("row").filter(has_text="2: Investigation")
        expect(stage2).to_contain_text("Monday 23 November 2026")
        expect(page.locator(".stages")).to_contain_text("asked for by the complainant: Nobody told me")
    finally:
        for context in (young, officer):
            context.close()
