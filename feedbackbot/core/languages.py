"""The languages the chat speaks: their names, direction, and the words that differ in each.

The lines themselves are translated in gettext catalogues (feedbackbot/translations); this module
reads intents/languages.yaml (names, right-to-left, typed yes/no answers and commands in each
language, the glossary's preferred and avoided words) and turns the English chat texts into
another language's through a pgettext function. Pure: no Flask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from feedbackbot.core.conversation import ChatTexts, _plain

DEFAULT = "en"


class LanguageDataError(ValueError):
    """The languages file is unusable."""


@dataclass(frozen=True)
class Language:
    """One language the chat and the public pages speak."""

    code: str
    name: str  # in its own words: "Polski", "ਪੰਜਾਬੀ"
    english: str
    rtl: bool = False
    voice: str = ""  # BCP 47 tag for the browser's speech synthesis
    yes_words: frozenset[str] = frozenset()
    no_words: frozenset[str] = frozenset()
    commands: dict[str, frozenset[str]] = field(default_factory=dict)
    avoid: tuple[str, ...] = ()  # the professional words the glossary replaces, in this language
    prefer: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term id: the chosen words
    chosen: dict[str, tuple[str, ...]] = field(default_factory=dict)  # English only: term id: words


def load_languages(path: str | Path) -> dict[str, Language]:
    """Read the languages file; English first, then the translated languages."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise LanguageDataError(f"{path}: {exc}") from None
    languages: dict[str, Language] = {}
    for code, entry in (data.get("languages") or {}).items():
        if not isinstance(entry, dict) or not entry.get("name"):
            raise LanguageDataError(f"{path}: language {code!r} needs a name")
        languages[str(code)] = Language(
            code=str(code),
            name=str(entry["name"]),
            english=str(entry.get("english") or entry["name"]),
            rtl=bool(entry.get("rtl")),
            voice=str(entry.get("voice") or code),
            yes_words=frozenset(_plain(str(w)) for w in entry.get("yes_words") or []),
            no_words=frozenset(_plain(str(w)) for w in entry.get("no_words") or []),
            commands={
                k: frozenset(_plain(str(w)) for w in v) for k, v in (entry.get("commands") or {}).items()
            },
            avoid=tuple(str(w) for w in entry.get("avoid") or []),
            prefer=_word_lists(entry.get("prefer")),
            chosen=_word_lists(entry.get("chosen")),
        )
    if DEFAULT not in languages:
        raise LanguageDataError(f"{path}: English ({DEFAULT}) must be listed")
    return languages


def _word_lists(data: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(data, dict):
        return {}
    return {str(k): tuple(str(w) for w in (v if isinstance(v, list) else [v])) for k, v in data.items()}


def message_ids(texts: ChatTexts) -> Iterator[tuple[str, str]]:
    """Every (context, English line) of the replies file: the message ids of the catalogues."""
    for key, line in texts.messages.items():
        yield f"messages.{key}", line
    for key, line in texts.labels.items():
        yield f"labels.{key}", line
    for tid, label, _ in texts.topics:
        yield f"topics.{tid}", label
    for key, line in texts.statuses.items():
        yield f"statuses.{key}", line
    for key, line in texts.easy.items():
        yield f"easy.{key}", line


def translate_texts(
    texts: ChatTexts, pgettext: Callable[[str, str], str], language: Language | None = None
) -> ChatTexts:
    """The chat texts in another language: each line through the catalogue, typed words added."""

    def tr(context: str, line: str) -> str:
        return pgettext(context, line) or line

    commands = dict(texts.commands)
    if language is not None:
        for name, words in language.commands.items():
            commands[name] = commands.get(name, frozenset()) | words
    return replace(
        texts,
        messages={k: tr(f"messages.{k}", v) for k, v in texts.messages.items()},
        labels={k: tr(f"labels.{k}", v) for k, v in texts.labels.items()},
        topics=tuple((tid, tr(f"topics.{tid}", label), words) for tid, label, words in texts.topics),
        statuses={k: tr(f"statuses.{k}", v) for k, v in texts.statuses.items()},
        easy={k: tr(f"easy.{k}", v) for k, v in texts.easy.items()},
        commands=commands,
        yes_words=texts.yes_words | (language.yes_words if language else frozenset()),
        lang=language.code if language else texts.lang,
        no_words=texts.no_words | (language.no_words if language else frozenset()),
    )


def avoided_words(line: str, language: Language) -> list[str]:
    """The glossary's avoided (professional) words found in a translated line."""
    folded = line.casefold()
    return [word for word in language.avoid if word.casefold() in folded]


def missing_chosen_words(english: str, translated: str, language: Language, source: Language) -> list[str]:
    """Glossary terms whose chosen words the English line uses but its translation does not."""
    missing = []
    english_folded = f" {english.casefold()} "
    folded = translated.casefold()
    for term, words in source.chosen.items():
        wanted = language.prefer.get(term)
        if not wanted or not any(f" {w} " in _spaced(english_folded) for w in words):
            continue
        if not any(w.casefold() in folded for w in wanted):
            missing.append(term)
    return missing


def _spaced(text: str) -> str:
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split()).join("  ")
