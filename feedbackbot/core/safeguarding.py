"""The risk detector: does a message disclose that a young person may be at risk?

Pure. Patterns are data (intents/safeguarding.yaml) written by safeguarding leads. A message is
normalised (lower case, text-speak spelled out, repeated letters squashed, punctuation removed)
and every pattern is tried; idioms listed as exceptions and negation just before a match
("he doesn't hit me") cancel it, except for patterns that are never cancelled (harm to self).
Recall matters more than precision here: a missed disclosure is the worst failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from feedbackbot.core import yamlfile

GAP_WORDS = 4  # "*" in a phrase: up to this many words in between
NEGATION_REACH = 3  # negation counts when within this many words before a match
_REPEATS = re.compile(r"(\w)\1{2,}")
_NOT_WORD = re.compile(r"[^\w\s']+")
_UNDOERS = frozenset({"stop", "stops", "stopping", "stopped"})  # "won't stop hitting me"


class RiskDataError(ValueError):
    """The safeguarding data file is unusable; the message says where and why."""


@dataclass(frozen=True)
class RiskMatch:
    """One pattern that fired, with the words that fired it (normalised)."""

    pattern: str
    category: str
    text: str


@dataclass(frozen=True)
class RiskAssessment:
    """The detector's verdict on one message."""

    matches: tuple[RiskMatch, ...] = ()

    @property
    def flagged(self) -> bool:
        """Tell whether anything fired."""
        return bool(self.matches)

    @property
    def categories(self) -> list[str]:
        """The categories that fired, each once, in the order they fired."""
        return list(dict.fromkeys(m.category for m in self.matches))


@dataclass(frozen=True)
class Phrase:
    """One compiled phrase; `says_no` when its own words are a negation ("don't feel safe")."""

    regex: re.Pattern[str]
    says_no: bool


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern with its own examples and traps (checked by the test suite)."""

    id: str
    category: str
    phrases: tuple[Phrase, ...]
    exceptions: re.Pattern[str] | None
    negatable: bool
    examples: tuple[str, ...]
    traps: tuple[str, ...]


@dataclass(frozen=True)
class RiskData:
    """Everything in the safeguarding file, compiled."""

    categories: dict[str, str]
    patterns: tuple[Pattern, ...]
    normalise: dict[str, str]
    negations: frozenset[str]


def normalise_message(text: str, normalise: dict[str, str]) -> str:
    """Lower-case, spell out text-speak, squash "sooooo", drop punctuation; single spaces."""
    lowered = text.lower().replace("’", "'").replace("‘", "'")
    lowered = _REPEATS.sub(r"\1\1", lowered)
    words: list[str] = []
    for raw in lowered.split():
        token = raw.strip("'\".,!?;:()[]{}")
        if token in normalise:
            words.extend(normalise[token].split())
            continue
        for part in _NOT_WORD.sub(" ", token).split():
            part = part.strip("'")
            if part:
                words.extend(normalise.get(part, part).split())
    return " ".join(words)


def _compile_phrase(phrase: str, classes: dict[str, list[str]], where: str) -> str:
    fragments = []
    for element in phrase.lower().split():
        if element == "*":
            fragments.append(rf"(?: \S+){{0,{GAP_WORDS}}}")
            continue
        optional = element.endswith("?") and len(element) > 1
        element = element.rstrip("?") if optional else element
        if element.startswith("(") and element.endswith(")"):
            element = element[1:-1]
        if element.startswith("<") and element.endswith(">"):
            name = element[1:-1]
            if name not in classes:
                raise RiskDataError(f"{where}: unknown class <{name}>")
            body = "(?:" + "|".join(re.escape(w) for w in sorted(classes[name], key=len, reverse=True)) + ")"
        elif "|" in element:
            body = "(?:" + "|".join(re.escape(w) for w in element.split("|") if w) + ")"
        else:
            body = re.escape(element)
        fragments.append(f"(?: {body})?" if optional else f" {body}")
    if not fragments:
        raise RiskDataError(f"{where}: empty phrase")
    return "".join(fragments) + "(?= )"


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RiskDataError(f"{where} must be a list of text (quote words like no, yes, on)")
    return [v.strip() for v in value]


def parse_risk_data(data: Any, source: str = "safeguarding.yaml") -> RiskData:
    """Validate the parsed YAML and compile every pattern."""
    if not isinstance(data, dict):
        raise RiskDataError(f"{source}: must be a mapping")
    categories = data.get("categories")
    if not isinstance(categories, dict) or not categories:
        raise RiskDataError(f"{source}: needs categories")
    classes = {str(k): _strings(v, f"{source}: classes.{k}") for k, v in (data.get("classes") or {}).items()}
    normalise = {str(k).lower(): str(v).lower() for k, v in (data.get("normalise") or {}).items()}
    negations = frozenset(_strings(data.get("negations"), f"{source}: negations"))
    patterns = []
    seen = set()
    for i, raw in enumerate(data.get("patterns") or []):
        where = f"{source}: patterns[{i}]"
        if not isinstance(raw, dict) or not raw.get("id"):
            raise RiskDataError(f"{where} needs an id")
        pid = str(raw["id"])
        where = f"{source}: pattern {pid}"
        if pid in seen:
            raise RiskDataError(f"{where} is defined twice")
        seen.add(pid)
        category = raw.get("category")
        if category not in categories:
            raise RiskDataError(f"{where}: category must be one of {', '.join(categories)}")
        phrases = _strings(raw.get("phrases"), f"{where}.phrases")
        if not phrases:
            raise RiskDataError(f"{where}: needs phrases")
        examples = _strings(raw.get("examples"), f"{where}.examples")
        if not examples:
            raise RiskDataError(f"{where}: needs examples that must raise an alert")
        compiled = tuple(
            Phrase(re.compile(_compile_phrase(p, classes, where)), bool(set(p.lower().split()) & negations))
            for p in phrases
        )
        exceptions = _strings(raw.get("except"), f"{where}.except")
        except_regex = (
            re.compile("|".join(f"(?:{_compile_phrase(p, classes, where)})" for p in exceptions))
            if exceptions
            else None
        )
        patterns.append(
            Pattern(
                id=pid,
                category=category,
                phrases=compiled,
                exceptions=except_regex,
                negatable=bool(raw.get("negatable", True)),
                examples=tuple(examples),
                traps=tuple(_strings(raw.get("traps"), f"{where}.traps")),
            )
        )
    if not patterns:
        raise RiskDataError(f"{source}: needs patterns")
    return RiskData(
        categories={str(k): str(v) for k, v in categories.items()},
        patterns=tuple(patterns),
        normalise=normalise,
        negations=negations,
    )


def load_risk_data(path: str | Path) -> RiskData:
    """Read and compile the safeguarding file."""
    try:
        data = yamlfile.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RiskDataError(f"{path}: {exc}") from None
    return parse_risk_data(data, str(path))


class RiskDetector:
    """Runs every pattern over a message."""

    def __init__(self, data: RiskData) -> None:
        self.data = data

    def assess(self, text: str) -> RiskAssessment:
        """Give every pattern that fires on this message."""
        normalised = normalise_message(text, self.data.normalise)
        if not normalised:
            return RiskAssessment()
        padded = f" {normalised} "
        matches: list[RiskMatch] = []
        for pattern in self.data.patterns:
            found = self._first_match(pattern, padded)
            if found:
                matches.append(RiskMatch(pattern.id, pattern.category, found))
        return RiskAssessment(tuple(matches))

    def _first_match(self, pattern: Pattern, padded: str) -> str | None:
        excluded = [m.span() for m in pattern.exceptions.finditer(padded)] if pattern.exceptions else []
        for phrase in pattern.phrases:
            for match in phrase.regex.finditer(padded):
                start, end = match.span()
                if any(start < e and s < end for s, e in excluded):
                    continue
                if pattern.negatable and not phrase.says_no and self._negated(padded, start, end):
                    continue
                return match.group().strip()
        return None

    def _negated(self, padded: str, start: int, end: int) -> bool:
        """A negation just before the match, or inside it ("dad doesn't hit me"), cancels it."""
        words = padded[:start].split()[-NEGATION_REACH:] + padded[start:end].split()
        pairs = {f"{a} {b}" for a, b in pairwise(words)}
        if not (set(words) | pairs) & self.data.negations:
            return False
        # "won't stop hitting me" is not a denial.
        return not (_UNDOERS & set(words))
