"""Letters to the person who complained: templates as data, filled from a case.

Pure. `load_letters` reads feedbackbot/data/letters.yaml; `fill` puts a case's facts into a
template. The service checks the filled text against the glossary before anything is sent.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feedbackbot.core import yamlfile

LETTER_KINDS = ("acknowledgement", "extension", "outcome", "final")
PLACEHOLDERS = frozenset(
    {
        "greeting",
        "name",
        "reference",
        "received",
        "stage",
        "stage_name",
        "lead_sentence",
        "respond_by",
        "advocate_sentence",
        "reason",
        "new_date",
        "outcome_words",
        "response",
        "findings",
        "next_stage_name",
        "next_stage_until",
        "ombudsman",
        "ofsted_sentence",
        "team",
    }
)


class LettersConfigError(ValueError):
    """The letters file is unusable; the message says where and why."""


@dataclass(frozen=True)
class Letters:
    """The letter templates and the fixed words they share."""

    templates: dict[str, str]
    titles: dict[str, str]
    contacts: dict[str, str]
    advocate: dict[str, str]
    lead: dict[str, str]
    outcome_words: dict[str, str]


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def parse_letters(data: Any, source: str = "letters.yaml") -> Letters:
    """Validate the parsed YAML: every kind present, only known placeholders."""
    if not isinstance(data, dict) or not isinstance(data.get("letters"), dict):
        raise LettersConfigError(f"{source}: needs a `letters:` mapping")
    templates, titles = {}, {}
    for kind in LETTER_KINDS:
        raw = data["letters"].get(kind)
        if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
            raise LettersConfigError(f"{source}: letters.{kind} needs a `text:`")
        names = {name for _, name, _, _ in string.Formatter().parse(raw["text"]) if name}
        unknown = names - PLACEHOLDERS
        if unknown:
            raise LettersConfigError(f"{source}: letters.{kind} uses unknown {', '.join(sorted(unknown))}")
        templates[kind] = raw["text"]
        titles[kind] = _text(raw.get("title", kind))
    sections = {}
    for key in ("contacts", "advocate", "lead", "outcome_words"):
        raw = data.get(key)
        if not isinstance(raw, dict):
            raise LettersConfigError(f"{source}: needs `{key}:`")
        sections[key] = {str(k): _text(v) for k, v in raw.items()}
    return Letters(templates=templates, titles=titles, **sections)


def load_letters(path: str | Path) -> Letters:
    """Read and validate a letters file."""
    try:
        data = yamlfile.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LettersConfigError(f"{path}: cannot read: {exc}") from None
    return parse_letters(data, str(path))


def fill(letters: Letters, kind: str, values: dict[str, str]) -> str:
    """The template with the case's facts in it (missing facts become empty), tidied."""
    if kind not in letters.templates:
        raise LettersConfigError(f"there is no {kind!r} letter; letters: {', '.join(LETTER_KINDS)}")
    text = letters.templates[kind].format_map({name: values.get(name, "") for name in PLACEHOLDERS})
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip()
