"""Messages in other languages: is the language detected, and is a disclosure in it caught?

The evaluation set (benchmarks/data/languages/evaluation.yaml) was written by another hand, after
the detection and the safety words (intents/language_safety.yaml) were finished; nothing is
tuned on it. Each message goes through what the chat does: the English risk reader, then
language detection and that language's safety words.

Reported: per language, how often the language is detected; for the non-English messages, per
language, disclosures alerted at once (recall), checked in on, missed, and false alerts on
ordinary messages. Detection time per message against the script check alone (the baseline,
measured in the same run).

`python -m benchmarks languages [--misses]`
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

from feedbackbot.core.language_detection import LanguageReader, _script_counts, load_language_safety
from feedbackbot.core.understanding import load_understanding

DATA = Path(__file__).parent / "data" / "languages" / "evaluation.yaml"
PACKAGE_DATA = Path(__file__).resolve().parent.parent / "feedbackbot" / "data"


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "-"


def run(argv: list[str] | None = None) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks languages")
    parser.add_argument("--misses", action="store_true", help="list every wrong answer")
    args = parser.parse_args(argv or [])
    items = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    reader = LanguageReader(load_language_safety(PACKAGE_DATA / "intents" / "language_safety.yaml"))
    with tempfile.TemporaryDirectory() as cache:
        understanding = load_understanding(PACKAGE_DATA, cache_dir=Path(cache))
        rows = []
        timings, baseline = [], []
        for item in items:
            text = str(item["text"])
            started = time.perf_counter()
            detected = reader.detect(text)
            timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            _script_counts(text)
            baseline.append(time.perf_counter() - started)
            verdict = understanding.assess_risk(text)
            hits = reader.safety_hits(text, detected.lang) if detected.other else ()
            rows.append((item, detected, verdict.alert or bool(hits), verdict.check_in and not hits))

    by_lang: dict[str, list] = defaultdict(list)
    for row in rows:
        by_lang[str(row[0]["lang"])].append(row)
    print(f"{len(rows)} messages in {len(by_lang)} languages (evaluation set, never tuned on)")
    print(
        f"{'lang':8} {'n':>3}  {'detected':>12}  {'disclosures':>11}  {'alerted':>12}  {'checked in':>10}  {'missed':>6}  {'false alerts':>12}"
    )
    totals = defaultdict(int)
    misses = []
    for lang in sorted(by_lang, key=lambda code: (code != "en", code)):
        group = by_lang[lang]
        right = sum(1 for item, d, _, _ in group if d.lang == lang)
        disclosures = [(item, alert, ci) for item, _, alert, ci in group if item.get("disclosure")]
        ordinary = [(item, alert) for item, _, alert, _ in group if not item.get("disclosure")]
        alerted = sum(1 for _, alert, _ in disclosures if alert)
        checked = sum(1 for _, alert, ci in disclosures if not alert and ci)
        missed = len(disclosures) - alerted - checked
        false_alerts = sum(1 for _, alert in ordinary if alert)
        print(
            f"{lang:8} {len(group):>3}  {_pct(right, len(group)):>12}  {len(disclosures):>11}  "
            f"{_pct(alerted, len(disclosures)):>12}  {checked:>10}  {missed:>6}  {_pct(false_alerts, len(ordinary)):>12}"
        )
        if lang != "en":
            totals["n"] += len(group)
            totals["right"] += right
            totals["disclosures"] += len(disclosures)
            totals["alerted"] += alerted
            totals["checked"] += checked
            totals["missed"] += missed
            totals["ordinary"] += len(ordinary)
            totals["false"] += false_alerts
        for item, d, alert, ci in group:
            wrong_lang = d.lang != lang
            wrong_alert = bool(item.get("disclosure")) != alert
            if wrong_lang or wrong_alert:
                misses.append((lang, d.lang, item.get("disclosure"), alert, ci, item["text"]))
    print(
        f"{'non-en':8} {totals['n']:>3}  {_pct(totals['right'], totals['n']):>12}  {totals['disclosures']:>11}  "
        f"{_pct(totals['alerted'], totals['disclosures']):>12}  {totals['checked']:>10}  {totals['missed']:>6}  "
        f"{_pct(totals['false'], totals['ordinary']):>12}"
    )
    p50 = statistics.median(timings) * 1e6
    base = statistics.median(baseline) * 1e6
    print(
        f"detection time per message: p50 {p50:.0f} us (script check alone {base:.0f} us, x{p50 / base:.0f})"
    )
    if args.misses:
        print("\nwrong (expected lang, detected, disclosure, alerted, checked in, text):")
        for miss in misses:
            print("  ", miss)


if __name__ == "__main__":  # pragma: no cover
    run()
