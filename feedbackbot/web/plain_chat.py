"""The chat without JavaScript: plain server-rendered forms, one step a page.

The same services and engine as the JavaScript chat and the API (services/chat.py): the same
conversation state, the same safety path (a disclosure alerts staff and shows help at once) and
the same reference and code at the end. The conversation id and token live in the signed session
cookie, as the JavaScript chat keeps them in sessionStorage.
"""

from __future__ import annotations

import re

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField

from feedbackbot.extensions import db, limiter
from feedbackbot.models import Feedback, Sender
from feedbackbot.services import chat
from feedbackbot.services.errors import Invalid, NotFound
from feedbackbot.web.i18n import select_language
from feedbackbot.web.public import bp

SESSION_KEY = "plain_chat"
_CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


class PlainChatForm(FlaskForm):
    """A message or a button press (the button's value comes as `choice`)."""

    message = TextAreaField(_l("Type your message"))


def _current() -> tuple[str, str] | None:
    kept = session.get(SESSION_KEY) or {}
    if kept.get("id") and kept.get("token"):
        return kept["id"], kept["token"]
    return None


def _start(easy: bool | None = None) -> tuple[str, str]:
    if easy is None:
        easy = bool((session.get(SESSION_KEY) or {}).get("easy"))
    started = chat.start_conversation("web_chat", select_language(), easy=easy)
    session[SESSION_KEY] = {
        "id": started.conversation.id,
        "token": started.token,
        "lang": select_language(),
        "easy": easy,
    }
    return started.conversation.id, started.token


def _render(form: PlainChatForm, error: str | None = None, status: int = 200) -> tuple[str, int]:
    kept = _current()
    asked_easy = request.args.get("easy")
    changed = (session.get(SESSION_KEY) or {}).get("lang") != select_language()
    if kept is None or changed or (asked_easy is not None and request.method == "GET"):
        # A new chat in the language (or reading mode) the young person just chose.
        kept = _start(asked_easy == "1" if asked_easy is not None else None)
    try:
        conversation = chat.get_conversation(*kept)
    except NotFound:
        conversation = chat.get_conversation(*_start())
    messages = list(conversation.messages)
    # One step a page: what the young person said last and the bot's answer to it.
    start = 0
    for index, message in enumerate(messages):
        if message.sender != Sender.BOT.value:
            start = index
    latest = messages[start:]
    reference = code = None
    if conversation.feedback_id is not None:
        reference = db.session.get(Feedback, conversation.feedback_id).reference
        for message in messages:
            if message.sender == Sender.BOT.value and reference in message.text:
                found = _CODE.search(message.text.replace(reference, ""))
                code = found.group(1) if found else None
    buttons = [b for b in chat.current_buttons(conversation) if b["value"] != "nav:help_now"]
    return (
        render_template(
            "plain_chat.html",
            form=form,
            messages=latest,
            buttons=buttons,
            error=error,
            reference=reference,
            code=code,
            max_chars=current_app.config["MAX_MESSAGE_CHARS"],
            easy=bool(conversation.state.get("easy")),
        ),
        status,
    )


@bp.get("/chat/plain")
def plain_chat() -> tuple[str, int]:
    """The chat as a plain page: the bot's latest words, its choices, and a box to type in."""
    return _render(PlainChatForm(formdata=None))


@bp.post("/chat/plain")
@limiter.limit(lambda: current_app.config["CHAT_LIMIT_ADDRESS"])
def plain_chat_send() -> Response | tuple[str, int]:
    """Take a message or a choice, then show the next step (post, redirect, get)."""
    form = PlainChatForm()
    if not form.validate():
        return _render(form, error=_("The page had expired. Please send it again."), status=400)
    choice = request.form.get("choice") or None
    text = None if choice else (form.message.data or "").strip() or None
    if choice == "new":
        _start()
        return redirect(url_for("public.plain_chat"), 303)
    if choice is not None and len(choice) > 60:
        return _render(form, error=_("Please press one of the buttons."), status=400)
    kept = _current() or _start()
    limit = current_app.config["MAX_MESSAGE_CHARS"]
    if text and len(text) > limit:
        error = _(
            "Your message is %(count)s characters too long. Please make it shorter, "
            "or send it in two parts. Nothing has been sent yet.",
            count=len(text) - limit,
        )
        return _render(form, error=error, status=413)
    if not text and not choice:
        return _render(form, error=_("Type a message first, or press one of the buttons."), status=400)
    try:
        chat.post_message(*kept, text=text, choice=choice)
    except NotFound:
        _start()
        return _render(form, error=_("That chat had ended, so we started a new one. Please send it again."))
    except Invalid:
        return _render(form, error=_("Please press one of the buttons."), status=400)
    return redirect(url_for("public.plain_chat"), 303)
