"""Themes in the words of feedback, judged on an evaluation set written by another hand.

benchmarks/data/themes/evaluation.yaml (a copy of /work/evalsets/themes.yaml, 280 messages, each
with a main theme and sometimes a second) was never used to write or tune data/themes.yaml.
Printed: per theme precision and recall of the themes found (up to two per message) against the
themes given, the main-theme accuracy, and the baseline: always answering the most common theme.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from feedbackbot.core.themes import THEMES, load_themes

HERE = Path(__file__).parent
EVALUATION = HERE / "data" / "themes" / "evaluation.yaml"
THEMES_FILE = HERE.parent / "feedbackbot" / "data" / "themes.yaml"


def load_evaluation() -> list[dict]:
    """The evaluation messages."""
    return yaml.safe_load(EVALUATION.read_text(encoding="utf-8"))


def run(quick: bool = False, argv: list[str] | None = None) -> None:
    """Print per-theme precision and recall, and the main-theme accuracy beside the baseline."""
    finder = load_themes(THEMES_FILE)
    items = load_evaluation()
    if quick:
        items = items[:40]
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    main_right = none_found = 0
    for item in items:
        gold = set(item["themes"])
        found = finder.find(item["text"])
        none_found += not found
        main_right += bool(found) and found[0] == item["themes"][0]
        for theme in THEMES:
            if theme in found and theme in gold:
                tp[theme] += 1
            elif theme in found:
                fp[theme] += 1
            elif theme in gold:
                fn[theme] += 1
    print(f"{len(items)} messages, written by another hand; never used for tuning")
    print(f"{'theme':<16}{'support':>8}{'precision':>11}{'recall':>8}")
    for theme in THEMES:
        support = tp[theme] + fn[theme]
        precision = tp[theme] / (tp[theme] + fp[theme]) if tp[theme] + fp[theme] else 0.0
        recall = tp[theme] / support if support else 0.0
        print(f"{theme:<16}{support:>8}{precision:>11.2f}{recall:>8.2f}")
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(
        f"micro precision {all_tp / max(all_tp + all_fp, 1):.2f}, recall {all_tp / max(all_tp + all_fn, 1):.2f}"
    )
    common = Counter(item["themes"][0] for item in items).most_common(1)[0]
    accuracy = main_ratio = main_right / len(items)
    baseline = common[1] / len(items)
    print(f"main theme right: {accuracy:.2f}; no theme found: {none_found}")
    print(
        f"baseline (always '{common[0]}'): {baseline:.2f}; ratio detector/baseline: {main_ratio / baseline:.1f}"
    )
