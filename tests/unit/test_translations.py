"""Every line the chat and the public pages say is translated in every shipped language, keeps its
placeholders, and uses the words young people chose (the glossary) in that language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from feedbackbot.core.conversation import load_chat_texts
from feedbackbot.core.languages import (
    avoided_words,
    load_languages,
    message_ids,
    missing_chosen_words,
    translate_texts,
)
from feedbackbot.i18n_extract import template_catalog
from feedbackbot.services.config import bundled
from feedbackbot.services.languages import (
    catalogue_dir,
    compile_catalogues,
    load_translations,
    shipped_languages,
)

LANGUAGES = load_languages(bundled("intents", "languages.yaml"))
SHIPPED = shipped_languages()
TEMPLATE = template_catalog()
TEXTS = load_chat_texts(bundled("intents", "replies.yaml"))
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)s")


def catalogue(lang: str):
    with (catalogue_dir() / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_at_least_punjabi_urdu_and_polish_ship_and_are_described():
    assert {"pa", "pl", "ur"} <= set(SHIPPED)
    assert set(SHIPPED) <= set(LANGUAGES)
    assert LANGUAGES["ur"].rtl and not LANGUAGES["pa"].rtl and not LANGUAGES["pl"].rtl


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_message_id_has_a_translation(lang):
    """A line added to replies.yaml or a template without a translation fails here."""
    po = catalogue(lang)
    missing = []
    for message in TEMPLATE:
        if not message.id:
            continue
        found = po.get(message.id, context=message.context)
        if found is None or not found.string or found.fuzzy:
            missing.append(f"{message.context or ''} {message.id!r}")
    assert not missing, (
        f"{lang}: {len(missing)} lines not translated (python -m feedbackbot.i18n_extract):\n"
        + "\n".join(missing[:20])
    )


@pytest.mark.parametrize("lang", SHIPPED)
def test_translations_keep_every_placeholder(lang):
    po = catalogue(lang)
    wrong = [
        (m.id, m.string)
        for m in po
        if m.id and m.string and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("lang", SHIPPED)
def test_translated_lines_use_the_words_young_people_chose(lang):
    language = LANGUAGES[lang]
    assert language.avoid and language.prefer, f"{lang}: the glossary in this language is missing"
    problems = []
    for message in catalogue(lang):
        if not message.id or not message.string:
            continue
        for word in avoided_words(message.string, language):
            problems.append(f"{message.string!r} uses {word!r}")
        for term in missing_chosen_words(message.id, message.string, language, LANGUAGES["en"]):
            problems.append(f"{message.string!r} misses the chosen words for {term} ({message.id!r})")
    assert not problems, "\n".join(problems)


def test_the_glossary_check_catches_a_professional_word():
    polish = LANGUAGES["pl"]
    assert avoided_words("Twoje umieszczenie w rodzinie zastępczej", polish) == ["umieszczenie"]
    assert missing_chosen_words("Family time", "Kontakty", polish, LANGUAGES["en"]) == ["contact"]
    assert missing_chosen_words("Family time", "Czas z rodziną", polish, LANGUAGES["en"]) == []


def test_the_chat_speaks_each_language_from_the_compiled_catalogue(tmp_path: Path):
    compiled = compile_catalogues(tmp_path)
    polish = translate_texts(TEXTS, load_translations(compiled, "pl").pgettext, LANGUAGES["pl"])
    assert polish.say("ask_kind") == "O czym chcesz nam powiedzieć?"
    assert polish.labels["help_now"] == "Pomoc teraz"
    assert "tak" in polish.yes_words and "wróć" in polish.commands["go_back"]
    urdu = translate_texts(TEXTS, load_translations(compiled, "ur").pgettext, LANGUAGES["ur"])
    assert urdu.topic_label("family") == "خاندان کے ساتھ وقت"
    # Every replies line is a message id; none is left in English.
    for context, line in message_ids(TEXTS):
        assert load_translations(compiled, "pa").pgettext(context, line) != line, (context, line)


def test_a_changed_catalogue_is_compiled_again(tmp_path: Path):
    source = tmp_path / "src"
    (source / "pl" / "LC_MESSAGES").mkdir(parents=True)
    po = source / "pl" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Send"\nmsgstr "Wyślij"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    compile_catalogues(out, source)
    assert load_translations(out, "pl").gettext("Send") == "Wyślij"
    po.write_text(po.read_text(encoding="utf-8").replace("Wyślij", "Wyślij to"), encoding="utf-8")
    compile_catalogues(out, source)
    assert load_translations(out, "pl").gettext("Send") == "Wyślij to"


def test_dates_are_written_in_the_language_of_the_line():
    from datetime import date

    from feedbackbot.core.conversation import format_date

    today = date(2026, 11, 23)
    assert format_date(date(2026, 12, 4), today) == "Friday 4 December"
    assert format_date(date(2026, 12, 4), today, "pl") == "4 grudnia"  # "do 4 grudnia": genitive
    assert format_date(date(2026, 12, 4), today, "ur") == "جمعہ، 4 دسمبر"
    assert format_date(date(2027, 1, 4), today, "pa").endswith("2027")


def test_numbers_in_urdu_lines_keep_their_order():
    """In a right-to-left line a phone number's groups are shown reversed unless isolated."""
    po = catalogue("ur")
    for message in po:
        if message.id and re.search(
            r"\d{3,} \d|\{(duty_phone|out_of_hours_phone|reference|code)\}", message.id
        ):
            assert "\u2066" in message.string and "\u2069" in message.string, message.id
