"""Which language a message is in, when it is not English, and its safety words in that language.

The chat's classifier and risk reader read English. A message in another language is detected
here so that the young person is answered in it, staff are told it needs reading and
translating, and the safety words of that language (intents/language_safety.yaml, extendable)
still raise an alert. Detection: the script first (Gurmukhi, Bengali, Ethiopic, Sorani's own
letters), then lingua (models ship inside its wheel; nothing is downloaded) among the languages
the data file names, and the everyday words of Punjabi and Urdu written in English letters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

ENGLISH = "en"
MIN_WORDS_LATIN = 3  # shorter Latin-script messages ("ok", "idk") are taken as English
MIN_CONFIDENCE = 0.5
_SORANI = set("ڕڵۆێە")
_URDU = set("ٹڈڑںےھ")
_WORD = re.compile(r"\w+", re.UNICODE)


class LanguageSafetyError(ValueError):
    """The language safety file is unusable."""


@dataclass(frozen=True)
class Detected:
    """A message's language (a tag such as "pl" or "pa-Latn"), or English."""

    lang: str
    confidence: float = 1.0
    how: str = ""  # script, words, model, short

    @property
    def other(self) -> bool:
        """Tell whether the message is in a language other than English."""
        return self.lang != ENGLISH


@dataclass(frozen=True)
class OtherLanguage:
    """What the data file says about one language."""

    tag: str
    name: str
    received: str
    help: str
    safety: dict[str, tuple[str, ...]] = field(default_factory=dict)  # category: words


@dataclass(frozen=True)
class LanguageSafety:
    """The languages, their lines and safety words, and the romanised Punjabi and Urdu words."""

    languages: dict[str, OtherLanguage]
    romanised: dict[str, frozenset[str]]


def load_language_safety(path: str | Path) -> LanguageSafety:
    """Read intents/language_safety.yaml."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise LanguageSafetyError(f"{path}: {exc}") from None
    languages = {}
    for tag, entry in (data.get("languages") or {}).items():
        if not entry.get("received") or not entry.get("help") or not entry.get("safety"):
            raise LanguageSafetyError(f"{path}: {tag} needs received, help and safety")
        languages[str(tag)] = OtherLanguage(
            tag=str(tag),
            name=str(entry.get("name") or tag),
            received=str(entry["received"]),
            help=str(entry["help"]),
            safety={str(c): tuple(_fold(str(w)) for w in words) for c, words in entry["safety"].items()},
        )
    romanised = {
        str(t): frozenset(_fold(str(w)) for w in words) for t, words in (data.get("romanised") or {}).items()
    }
    return LanguageSafety(languages, romanised)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().replace("’", "'").split())


def _script_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if 0x0A00 <= code <= 0x0A7F:
            script = "gurmukhi"
        elif 0x0980 <= code <= 0x09FF:
            script = "bengali"
        elif 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF:
            script = "ethiopic"
        elif 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
            script = "arabic"
        elif code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
            script = "latin"
        else:
            script = "other"
        counts[script] = counts.get(script, 0) + 1
    return counts


Model = Callable[[str, Sequence[str]], list[tuple[str, float]]]


class LanguageReader:
    """Detects a message's language and finds the safety words of that language in it."""

    def __init__(self, safety: LanguageSafety, model: Model | None = None) -> None:
        self.safety = safety
        self.model = model or lingua_model

    def detect(self, text: str) -> Detected:
        """The language of a message; English when unsure (the English readers still run)."""
        counts = _script_counts(text)
        if not counts:
            return Detected(ENGLISH, how="short")
        script = max(counts, key=lambda s: counts[s])
        if script == "gurmukhi":
            return Detected("pa", how="script")
        if script == "bengali":
            return Detected("bn", how="script")
        if script == "ethiopic":
            return Detected("ti", how="script")
        if script == "arabic":
            if any(ch in _SORANI for ch in text):
                return Detected("ckb", how="script")
            if any(ch in _URDU for ch in text):
                return Detected("ur", how="script")
            return self._model(text, ("ar", "ur", "fa"), minimum_words=1)
        words = [_fold(w) for w in _WORD.findall(text)]
        romanised = self._romanised(words)
        if romanised:
            return romanised
        if len(words) < MIN_WORDS_LATIN:
            return Detected(ENGLISH, how="short")
        latin = tuple(tag for tag in self.safety.languages if "-" not in tag and tag in LATIN_LANGUAGES)
        return self._model(text, (ENGLISH, *latin), minimum_words=MIN_WORDS_LATIN)

    def _romanised(self, words: list[str]) -> Detected | None:
        if not words or not self.safety.romanised:
            return None
        every = frozenset().union(*self.safety.romanised.values())
        hits = [w for w in words if w in every]
        if len(set(hits)) < 2 or len(hits) / len(words) < 0.25:
            return None
        scores = {}
        for tag, markers in self.safety.romanised.items():
            others = frozenset().union(*(m for t, m in self.safety.romanised.items() if t != tag))
            scores[tag] = sum(1 for w in words if w in markers and w not in others)
        best = max(sorted(scores), key=lambda t: scores[t])
        if scores[best] == 0:
            return None
        return Detected(best, min(1.0, len(hits) / len(words)), how="words")

    def _model(self, text: str, candidates: Sequence[str], minimum_words: int) -> Detected:
        ranked = self.model(text, candidates)
        if not ranked:
            return Detected(ENGLISH, 0.0, how="model")
        lang, confidence = ranked[0]
        if lang == ENGLISH or confidence < MIN_CONFIDENCE:
            return Detected(ENGLISH, confidence, how="model")
        return Detected(lang, confidence, how="model")

    def safety_hits(self, text: str, lang: str | None = None) -> tuple[str, ...]:
        """The categories whose safety words the message holds (in its language, or in any)."""
        folded = f" {_fold(' '.join(_WORD.findall(text)) or text)} "
        raw = f" {_fold(text)} "
        tags = [lang] if lang in self.safety.languages else list(self.safety.languages)
        found: list[str] = []
        for tag in tags:
            for category, words in self.safety.languages[tag].safety.items():
                if category in found:
                    continue
                if any(f" {w}" in folded or f" {w}" in raw for w in words):
                    found.append(category)
        return tuple(found)

    def language(self, tag: str) -> OtherLanguage | None:
        """What the data file says about a language."""
        return self.safety.languages.get(tag)


# Latin-script languages lingua is asked about (the others are told apart by their script).
LATIN_LANGUAGES = {"pl", "ro", "so", "sk", "lt", "cs", "pt", "fr", "es", "de", "it", "hu", "lv", "tr", "sq"}


@cache
def _lingua_detector(tags: tuple[str, ...]):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for tag in tags:
        code = getattr(IsoCode639_1, tag.upper(), None)
        if code is not None:
            languages.append(Language.from_iso_code_639_1(code))
    return LanguageDetectorBuilder.from_languages(*languages).build()


def lingua_model(text: str, candidates: Sequence[str]) -> list[tuple[str, float]]:
    """Rank the candidate languages for a text with lingua (its models ship in the wheel)."""
    detector = _lingua_detector(tuple(sorted(set(candidates))))
    return [
        (value.language.iso_code_639_1.name.lower(), value.value)
        for value in detector.compute_language_confidence_values(text)
    ]
