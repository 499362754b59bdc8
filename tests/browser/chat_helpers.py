"""Steps a young person takes in the chat page, with a mouse or with the keyboard only."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def open_chat(page: Page) -> None:
    page.goto("/")
    expect(page.locator("#chat-log")).to_contain_text("What would you like to tell us?")


def choose(page: Page, label: str) -> None:
    page.locator("#choices").get_by_role("button", name=label, exact=True).click()


def type_message(page: Page, text: str) -> None:
    page.get_by_label("Type your message").fill(text)
    page.get_by_label("Type your message").press("Enter")


def wait_for(page: Page, text: str) -> None:
    expect(page.locator("#chat-log")).to_contain_text(text)


def tab_to(page: Page, label: str, limit: int = 60) -> None:
    """Press Tab until the focused element is the one with this accessible text."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; return (e && (e.innerText || e.getAttribute('aria-label') || e.id)) || ''; }"
        )
        if focused.strip() == label:
            return
    raise AssertionError(f"could not reach {label!r} with the Tab key")


def keyboard_choose(page: Page, label: str) -> None:
    tab_to(page, label)
    page.keyboard.press("Enter")


def keyboard_type(page: Page, text: str) -> None:
    tab_to(page, "message")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
