"""Jinja filters: dates as people in Sandwell read them, and stored codes as words."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app

from feedbackbot.core.calendar import local_date
from feedbackbot.core.conversation import format_date


def london_date(value: datetime | date | None) -> str:
    """A moment or date as "Friday 4 December 2026", in the Trust's time zone."""
    if value is None:
        return ""
    day = local_date(value, current_app.config["TIMEZONE"]) if isinstance(value, datetime) else value
    return format_date(day)


def london_time(value: datetime | None) -> str:
    """A moment as "4 Dec 2026 14:05" in the Trust's time zone."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    local = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return f"{local.day} {local:%b %Y %H:%M}"


CHANNEL_WORDS = {
    "web_chat": "the web chat",
    "api": "an app",
    "in_person": "in person",
    "phone": "phone",
    "email": "email",
    "letter": "letter",
}


def actor_words(label: str | None) -> str:
    """Who did it, in words: "the young person (web chat)", "the clock", or the staff member's name."""
    if not label:
        return ""
    kind, _, rest = label.partition(":")
    if kind == "public" and rest:
        return f"the young person ({CHANNEL_WORDS.get(rest, rest.replace('_', ' '))})"
    if kind == "system" and rest:
        return f"the {rest.replace('_', ' ')}"
    return label


def code_words(value: object) -> str:
    """A stored code as words staff read: "partly_upheld" -> "Partly upheld"."""
    text = str(value or "").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def topic_words(topic: str | None, topic_text: str | None = None) -> str:
    """What feedback is about, in the chat's words ("My social worker or PA", not "worker")."""
    from feedbackbot.services.config import domain

    if topic_text:
        return topic_text
    return domain().chat_texts.topic_label(topic) if topic else ""


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(london_date)
    app.add_template_filter(london_time)
    app.add_template_filter(actor_words)
    app.add_template_filter(code_words)
    app.add_template_filter(topic_words)
