"""A database that does not answer in time: the chat page says so calmly, and nothing is lost."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from feedbackbot.models import Feedback
from tests.browser.chat_helpers import choose, open_chat, type_message, wait_for
from tests.test_timeouts import feedback_locked

CALM = "We're very busy just now and couldn't do that. Please try again in a moment."


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"WTF_CSRF_ENABLED": True, "DB_STATEMENT_TIMEOUT": 1.0}


def test_send_while_the_feedback_table_is_locked_shows_a_calm_message_then_saves(page, session, database):
    open_chat(page)
    choose(page, "Something good")
    wait_for(page, "What was good?")
    type_message(page, "Kez my social worker always rings back")
    wait_for(page, "What is it about?")
    choose(page, "My social worker or PA")
    choose(page, "Stay anonymous")
    wait_for(page, "Here's what you told us")
    with feedback_locked(database.url):
        started = time.monotonic()
        choose(page, "Send it")
        expect(page.locator("#chat-status")).to_contain_text(CALM)
        assert time.monotonic() - started < 5
    expect(page.locator("#chat-status")).to_contain_text("Nothing was lost; please press it again.")
    expect(page.locator("#chat-log")).not_to_contain_text("Your reference is")
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0
    choose(page, "Send it")
    wait_for(page, "Your reference is")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Feedback)) == 1
