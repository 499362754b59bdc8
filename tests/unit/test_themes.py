"""Themes in the words of feedback: the vocabulary file, the detector, and the evaluation set kept apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.themes import EVALUATION, load_evaluation
from feedbackbot.core.themes import THEMES, ThemeDataError, load_themes

DATA = Path(__file__).parents[2] / "feedbackbot" / "data" / "themes.yaml"


@pytest.fixture(scope="module")
def finder():
    return load_themes(DATA)


def test_the_shipped_file_has_exactly_the_twelve_themes(finder):
    assert tuple(t.key for t in finder.themes) != () and {t.key for t in finder.themes} == set(THEMES)


@pytest.mark.parametrize(
    ("text", "main"),
    [
        ("my family time with my little sister got cancelled again", "family"),
        ("i still have not got my bursary money paid", "money"),
        ("the dentist appointment never got booked", "health"),
    ],
)
def test_a_plain_message_gets_its_main_theme(finder, text, main):
    assert finder.find(text)[0] == main


def test_nothing_is_found_in_a_message_about_nothing(finder):
    assert finder.find("ok") == ()


def test_a_file_missing_a_theme_is_refused(tmp_path):
    bad = tmp_path / "themes.yaml"
    bad.write_text("themes:\n  worker: {label: W, words: [worker]}\n")
    with pytest.raises(ThemeDataError, match="missing"):
        load_themes(bad)


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_no_evaluation_message_is_copied_into_the_vocabulary():
    vocabulary = _normal(DATA.read_text(encoding="utf-8"))
    phrases = {
        _normal(line.strip(" -\n"))
        for line in DATA.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("- ")
    }
    assert EVALUATION.exists()
    for item in load_evaluation():
        message = _normal(item["text"])
        assert message not in vocabulary
        # no phrase of the vocabulary is a whole evaluation message either
        assert message not in phrases
