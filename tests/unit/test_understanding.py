"""The layered reading of a message: patterns, meaning, the conversation so far, and kinds.

Per-category figures on messages written by another hand are checked on the calibration set (the
evaluation set is kept for `python -m benchmarks understanding` and is never used to choose anything).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from feedbackbot.core.embedding import EmbeddingModelError
from feedbackbot.core.understanding import ALERT, CHECK_IN, NONE, clauses, load_understanding
from feedbackbot.services.config import bundled
from tests.support import CACHE_DIR, understanding

UNDERSTANDING = understanding()
SETS = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "understanding"
CALIBRATION = yaml.safe_load((SETS / "calibration" / "risk.yaml").read_text(encoding="utf-8"))
CATEGORIES = sorted({d["category"] for d in CALIBRATION["disclosures"]})


def _by_category() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for item in CALIBRATION["disclosures"]:
        grouped[item["category"]].append(item["text"])
    return grouped


@pytest.mark.parametrize("category", CATEGORIES)
def test_disclosures_in_every_category_reach_a_person(category):
    texts = _by_category()[category]
    outcomes = [UNDERSTANDING.assess_risk(t).outcome for t in texts]
    reached = sum(o in (ALERT, CHECK_IN) for o in outcomes)
    assert len(texts) >= 15
    assert reached / len(texts) >= 0.9, [t for t, o in zip(texts, outcomes, strict=True) if o == NONE]
    assert outcomes.count(ALERT) / len(texts) >= 0.65


def test_ordinary_messages_are_rarely_alerted():
    texts = [o["text"] for o in CALIBRATION["ordinary"]]
    alerted = [t for t in texts if UNDERSTANDING.assess_risk(t).alert]
    assert len(texts) >= 200
    assert len(alerted) / len(texts) <= 0.07, alerted


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "he does stuff to me when everyone is asleep and says its our secret",
            "harm_from_others exploitation",
        ),
        ("everyone would be better off if i wasnt around no more", "harm_to_self"),
        ("the olders said i owe them so now i gotta run bits to brum for them", "exploitation"),
        ("theres never any food at my dads so i just go to bed hungry", "neglect"),
        ("not going back tonight, im staying at some guys flat i met on snap", "missing"),
        ("theres a man outside my door with a knife shouting my name", "danger"),
    ],
)
def test_a_disclosure_in_each_category_written_without_the_obvious_words_is_alerted(text, category):
    verdict = UNDERSTANDING.assess_risk(text)
    assert verdict.outcome == ALERT
    assert set(category.split()) & set(verdict.categories)


@pytest.mark.parametrize(
    "text",
    [
        "this maths homework is killing me lol",
        "i could eat a horse, when is tea",
        "my little brother beat me at fifa again",
        "we watched a film about a missing cat, it was bostin",
        "the staff at my home are lovely and took us bowling",
        "can there be a gaming club on saturdays",
    ],
)
def test_ordinary_messages_that_share_words_with_disclosures_are_not_alerted(text):
    assert UNDERSTANDING.assess_risk(text).outcome != ALERT


def test_a_disclosure_buried_in_ordinary_feedback_is_read_clause_by_clause():
    text = (
        "the wifi at my flat keeps dropping out which is well annoying. "
        "also my carers boyfriend punched me in the face last night"
    )
    assert len(clauses(text)) == 2
    assert UNDERSTANDING.assess_risk(text).outcome == ALERT


def test_a_disclosure_split_over_messages_counts():
    earlier = ["my mums new fella", "he gets angry when shes at work"]
    assert UNDERSTANDING.assess_risk(earlier[0]).outcome == NONE
    verdict = UNDERSTANDING.assess_risk("and now i have to hide the marks on my arms", earlier)
    assert verdict.outcome == ALERT


def test_a_short_message_is_one_clause():
    assert clauses("my sw is great") == []


def test_a_model_file_with_the_wrong_sha256_stops_it(tmp_path):
    wrong = tmp_path / "model.onnx"
    wrong.write_bytes(b"not the model")
    with pytest.raises(EmbeddingModelError, match="sha256"):
        load_understanding(bundled(), cache_dir=CACHE_DIR, model_path=wrong)


def _words(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


def test_no_training_message_is_copied_from_the_measurement_sets():
    # Figures on messages the model was trained on would flatter it: the sets stay apart.
    measured: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            measured.add(_words(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in (SETS / "evaluation").glob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    training = [text for text, _ in UNDERSTANDING.examples.disclosures] + list(
        UNDERSTANDING.examples.ordinary
    )
    copied = [t for t in training if _words(t) in measured]
    assert copied == []


def test_a_full_stop_inside_a_word_does_not_split_a_message():
    assert clauses("go to www.example.com and window.open the page it is 2.5 miles") == []


def test_a_disclosure_at_the_end_of_a_very_long_message_is_still_read():
    # The model reads at most 128 tokens at once; the clauses past that are read on their own.
    preamble = " ".join(
        f"the {thing} at my home is fine and the staff are ok i guess."
        for thing in ("food", "wifi", "garden", "telly", "heating", "bus", "bedroom", "kitchen", "lounge")
    )
    text = f"{preamble} everyone would be better off if i wasnt around no more"
    score, _ = UNDERSTANDING.message_score(text)
    assert score >= UNDERSTANDING.config.risk.alert_at
