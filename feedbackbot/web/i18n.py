"""The language of the public pages and the chat: chosen by the browser, changed with the switcher."""

from __future__ import annotations

from typing import Any

from flask import Flask, request, session
from flask_babel import Babel

from feedbackbot.services.config import domain

SESSION_KEY = "lang"


def select_language() -> str:
    """?lang= (the switcher) wins and is remembered; then the last choice; then the browser's."""
    languages = domain().languages
    asked = request.args.get("lang")
    if asked in languages:
        session[SESSION_KEY] = asked
        return asked
    kept = session.get(SESSION_KEY)
    if kept in languages:
        return kept
    return request.accept_languages.best_match(list(languages), default="en") or "en"


def _language_context() -> dict[str, Any]:
    lang = select_language() if request else "en"
    info = domain().languages[lang]
    return {
        "current_language": info,
        "languages": list(domain().languages.values()),
        "text_direction": "rtl" if info.rtl else "ltr",
    }


def init_app(app: Flask) -> None:
    """Flask-Babel over the catalogues compiled at start-up (services/config.py compiles them)."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(domain_dir(app))
    Babel(app, locale_selector=select_language)
    app.context_processor(_language_context)


def domain_dir(app: Flask) -> str:
    """Where the compiled catalogues are."""
    with app.app_context():
        return str(domain().translations_dir)
