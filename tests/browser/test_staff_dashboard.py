"""The staff dashboard in a browser: a complaint from the chat through to closing the loop."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from feedbackbot.services.users import create_staff_user
from tests.browser.chat_helpers import choose, open_chat, type_message, wait_for
from tests.browser.test_chat_page import shown_reference

PASSWORD = "a-long-enough-password"
XSS = '<img src=x onerror="window.pwned=1"> my family time keeps getting cancelled'


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="What's due")).to_be_visible()


def complaint_from_the_chat(page) -> tuple[str, str]:
    open_chat(page)
    choose(page, "Something is wrong")
    wait_for(page, "What happened?")
    type_message(page, XSS)
    choose(page, "Family time")
    choose(page, "Stay anonymous")
    choose(page, "Make a complaint")
    choose(page, "Me, it's about me")
    choose(page, "No thanks")
    choose(page, "Send it")
    return shown_reference(page)


def test_from_the_chat_to_stage_2_and_closing_the_loop(browser, live_server, app):
    create_staff_user("officer@trust.example", "complaints", PASSWORD, name="Morgan Ellis")
    create_staff_user("pt@trust.example", "participation", PASSWORD, name="Sam Okafor")
    young = browser.new_context(base_url=live_server)
    officer = browser.new_context(base_url=live_server)
    participation = browser.new_context(base_url=live_server)
    try:
        yp = young.new_page()
        reference, code = complaint_from_the_chat(yp)

        page = officer.new_page()
        sign_in(page, "officer@trust.example")
        row = page.get_by_role("row").filter(has_text=reference)
        expect(row).to_contain_text("New complaint")
        row.get_by_role("link", name=reference).click()
        expect(page.locator(".their-words")).to_have_text(XSS)
        assert page.evaluate("() => window.pwned") is None
        page.get_by_role("button", name="Open complaint case").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("stage 1 (Local resolution)")
        page.get_by_role("button", name="Acknowledge").click()
        expect(page.get_by_text("Acknowledged.")).to_be_visible()
        page.get_by_label("Reason").first.fill("An advocate is needed")
        page.get_by_role("button", name="Extend").click()
        expect(page.get_by_text("Deadline extended.")).to_be_visible()
        page.get_by_label("Partly upheld").check()
        page.get_by_label("The response").fill(
            "We are sorry. Family time will not be cancelled without telling you."
        )
        page.get_by_role("button", name="Record response").click()
        expect(page.get_by_text("Response recorded.")).to_be_visible()
        page.get_by_role("button", name="Move to stage 2").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("stage 2 (Investigation)")
        serious = [
            v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}
        ]
        assert serious == []

        pt = participation.new_page()
        sign_in(pt, "pt@trust.example")
        pt.get_by_role("link", name="Closing the loop").click()
        pt.get_by_role("link", name=reference).click()
        pt.get_by_label("What you told the young person").fill(
            "Your contact with mum will not be cancelled again."
        )
        pt.get_by_role("button", name="Check wording").click()
        expect(pt.get_by_role("alert")).to_contain_text("“contact” → try “family time”")
        pt.get_by_label("What you told the young person").fill(
            "Your family time with mum will not be cancelled again."
        )
        pt.get_by_role("button", name="Send to the young person").click()
        expect(pt.get_by_text("The wording uses the words young people chose.")).to_be_visible()
        pt.get_by_role("button", name="Send to the young person").click()
        expect(pt.get_by_text(f"Sent. The young person will see it with {reference}.")).to_be_visible()
        # A participation officer cannot open a complaint page.
        response = pt.goto(f"/staff/complaints/{reference}")
        assert response.status == 403

        yp.goto("/check")
        yp.get_by_label("Your reference").fill(reference)
        yp.get_by_label("Your code").fill(code)
        yp.get_by_role("button", name="Check").click()
        expect(yp.locator(".reply-text")).to_have_text(
            "Your family time with mum will not be cancelled again."
        )
    finally:
        for context in (young, officer, participation):
            context.close()


def test_a_logged_out_user_is_sent_to_sign_in(page):
    page.goto("/staff/complaints")
    assert "/login?next=" in page.url
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()
