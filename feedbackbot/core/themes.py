"""Themes found in the words of a piece of feedback, for the reports (never for a decision).

Pure. The vocabulary lives in data/themes.yaml: per theme, words matched on their stem and
phrases matched as whole word sequences (worth two words). A message gets its strongest theme and
a second when that one scores at least `second_theme_ratio` of the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from nltk.stem.porter import PorterStemmer

THEMES = (
    "worker",
    "worker_changes",
    "communication",
    "delays",
    "home",
    "family",
    "school",
    "money",
    "health",
    "leaving_care",
    "activities",
    "respect",
)
PHRASE_WEIGHT = 2.0
_WORD = re.compile(r"[a-z0-9£]+")
_STEMMER = PorterStemmer()


class ThemeDataError(ValueError):
    """The themes file cannot be used; the message says what is wrong."""


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _STEMMER.stem(word)


def words_of(text: str) -> list[str]:
    """Lower-case stems of the words (apostrophes dropped, so "didn't" is "didnt")."""
    return [_stem(w) for w in _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))]


@dataclass(frozen=True)
class Theme:
    """One theme's label and vocabulary, stemmed once."""

    key: str
    label: str
    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    word_weight: float


@dataclass(frozen=True)
class ThemeFinder:
    """Scores a message against each theme's vocabulary."""

    themes: tuple[Theme, ...]
    second_ratio: float
    # Each phrase under its first word, so a message is checked only for phrases that can match.
    starts: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for number, theme in enumerate(self.themes):
            for phrase in theme.phrases:
                index.setdefault(phrase[0], []).append((number, phrase))
        self.starts.update({k: tuple(v) for k, v in index.items()})

    def label(self, key: str) -> str:
        """The report's words for a theme key."""
        return next((t.label for t in self.themes if t.key == key), key.replace("_", " "))

    def scores(self, text: str) -> dict[str, float]:
        """Each theme's score for the text (0 when nothing matched)."""
        stems = words_of(text)
        totals = [0.0] * len(self.themes)
        for i, stem in enumerate(stems):
            for number, theme in enumerate(self.themes):
                if stem in theme.words:
                    totals[number] += theme.word_weight
            for number, phrase in self.starts.get(stem, ()):
                if tuple(stems[i : i + len(phrase)]) == phrase:
                    totals[number] += PHRASE_WEIGHT
        return {theme.key: totals[n] for n, theme in enumerate(self.themes)}

    def find(self, text: str) -> tuple[str, ...]:
        """The main theme and, when nearly as strong, a second; nothing when no word matched."""
        scores = self.scores(text)
        order = {t.key: i for i, t in enumerate(self.themes)}
        ranked = sorted((k for k, v in scores.items() if v > 0), key=lambda k: (-scores[k], order[k]))
        if not ranked:
            return ()
        main = ranked[0]
        if len(ranked) > 1 and scores[ranked[1]] >= self.second_ratio * scores[main]:
            return (main, ranked[1])
        return (main,)


def load_themes(path: Path) -> ThemeFinder:
    """Read and check the themes file (every label known, every theme with words)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ThemeDataError(f"cannot read {path}: {exc}") from None
    raw = (data or {}).get("themes") or {}
    unknown = set(raw) - set(THEMES)
    missing = set(THEMES) - set(raw)
    if unknown or missing:
        raise ThemeDataError(f"{path}: unknown themes {sorted(unknown)}, missing {sorted(missing)}")
    themes = []
    for key, spec in raw.items():
        words = frozenset(_stem(w) for word in spec.get("words") or [] for w in words_of(str(word)))
        phrases = tuple(tuple(words_of(str(p))) for p in spec.get("phrases") or [] if words_of(str(p)))
        if not words and not phrases:
            raise ThemeDataError(f"{path}: theme {key} has no words or phrases")
        themes.append(
            Theme(key, str(spec.get("label") or key), words, phrases, float(spec.get("word_weight", 1.0)))
        )
    return ThemeFinder(tuple(themes), float(data.get("second_theme_ratio", 0.5)))


@lru_cache(maxsize=4)
def bundled_themes(path: str) -> ThemeFinder:
    """The themes file, loaded once per path."""
    return load_themes(Path(path))
