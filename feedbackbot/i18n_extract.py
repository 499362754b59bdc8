"""Bring the translation catalogues up to date: `python -m feedbackbot.i18n_extract [LANG ...]`.

Collects every line to translate - `_()`/`gettext`/`lazy_gettext` in the templates and Python
code, and every line of intents/replies.yaml (message id = its section and key as msgctxt, e.g.
"messages.welcome") - into a template, then merges it into each language's .po (new lines come in
untranslated, changed lines are marked fuzzy and are not used until a translator checks them).
A new language: `python -m feedbackbot.i18n_extract xx` creates feedbackbot/translations/xx.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from feedbackbot.core.conversation import load_chat_texts
from feedbackbot.core.languages import message_ids

PACKAGE = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}
METHODS = [("templates/**.html", "jinja2"), ("web/**.py", "python")]


def template_catalog() -> Catalog:
    """Every line to translate, from the code, the templates and the replies file."""
    catalog = Catalog(project="feedbackbot", msgid_bugs_address="participation team", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), METHODS, keywords=KEYWORDS, options_map={"templates/**.html": {}}
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    texts = load_chat_texts(PACKAGE / "data" / "intents" / "replies.yaml")
    for context, line in message_ids(texts):
        catalog.add(line, None, [("intents/replies.yaml", 0)], context=context)
    return catalog


def update(languages: list[str]) -> list[Path]:
    """Merge the template into each language's catalogue; give the paths written."""
    template = template_catalog()
    root = PACKAGE / "translations"
    codes = languages or sorted(p.name for p in root.iterdir() if p.is_dir())
    written = []
    for code in codes:
        path = root / code / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=code)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=code, project="feedbackbot", charset="utf-8")
        catalog.update(template, update_header_comment=False)
        with path.open("wb") as handle:
            write_po(
                handle, catalog, width=100, omit_header=False, ignore_obsolete=True, include_lineno=False
            )
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    for written_path in update(sys.argv[1:]):
        print(written_path)
