"""How well the chat understands messages it never saw, and how long that takes.

The sets in benchmarks/data/understanding were written by other hands than the training data
and the patterns, in the way young people in care write (text-speak, typos, slang, dialect,
euphemism), and nothing is trained on them:

- `calibration`: used to choose the thresholds in intents/understanding.yaml (`--sweep`);
- `evaluation`: never used to choose anything; the honest figure.

Reported per set: for disclosures, per category, how many staff are alerted about at once, how
many the bot checks in on, and how many are missed; for ordinary messages, false alerts and
check-ins; for conversations where a disclosure is split over messages, the same; the kind and
intent accuracy, and how often a confident answer is wrong; the glossary's false flags in traps
and its misses. Time per message through the whole classifier on one core (p50/p99), against
the patterns alone as the baseline measured in the same run.

`python -m benchmarks understanding [--set calibration|evaluation|both] [--misses] [--sweep]`
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from feedbackbot.core.glossary_data import bundled_glossary_files, load_glossary
from feedbackbot.core.understanding import ALERT, CHECK_IN, Understanding, load_understanding

DATA = Path(__file__).parent / "data" / "understanding"
PACKAGE_DATA = Path(__file__).resolve().parent.parent / "feedbackbot" / "data"
SETS = ("calibration", "evaluation")


def _load(name: str, file: str) -> Any:
    return yaml.safe_load((DATA / name / file).read_text(encoding="utf-8"))


def build() -> Understanding:
    """The understanding as the service builds it: FEEDBACKBOT_CACHE_DIR's cache, or a throwaway one."""
    configured = os.environ.get("FEEDBACKBOT_CACHE_DIR")
    cache = Path(configured) if configured else Path(tempfile.mkdtemp(prefix="feedbackbot-bench-"))
    return load_understanding(PACKAGE_DATA, cache_dir=cache)


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


def risk_report(understanding: Understanding, name: str, misses: bool) -> dict[str, Any]:
    """Disclosures per category (alerted, checked in, missed) and ordinary messages."""
    data = _load(name, "risk.yaml")
    per: dict[str, Counter[str]] = defaultdict(Counter)
    missed = []
    for item in data["disclosures"]:
        verdict = understanding.assess_risk(item["text"])
        per[item["category"]][verdict.outcome] += 1
        per[item["category"]]["all"] += 1
        if not verdict.alert:
            missed.append((verdict.outcome, f"{item['category']}/{item['subcategory']}", item["text"]))
    ordinary = Counter()
    wrong = []
    for item in data["ordinary"]:
        verdict = understanding.assess_risk(item["text"])
        ordinary[verdict.outcome] += 1
        ordinary["traps" if item.get("trap") else "plain"] += 1
        if verdict.outcome != "none":
            wrong.append((verdict.outcome, verdict.layer, item["text"]))
    total = Counter()
    print(f"  disclosures ({name}): category: alerted / checked in / missed")
    for category in sorted(per):
        counts = per[category]
        total.update(counts)
        print(
            f"    {category:18} {_pct(counts[ALERT], counts['all']):>16}  "
            f"{counts[CHECK_IN]:>3} checked in  {counts['none']:>3} missed"
        )
    print(
        f"    {'all':18} {_pct(total[ALERT], total['all']):>16}  {total[CHECK_IN]:>3} checked in  "
        f"{total['none']:>3} missed   alerted or checked in: {_pct(total[ALERT] + total[CHECK_IN], total['all'])}"
    )
    n = sum(ordinary[o] for o in (ALERT, CHECK_IN, "none"))
    print(
        f"  ordinary messages: false alerts {_pct(ordinary[ALERT], n)}, check-ins {_pct(ordinary[CHECK_IN], n)}"
        f"  ({ordinary['traps']} of them traps)"
    )
    if misses:
        for outcome, where, text in sorted(missed):
            print(f"    not alerted ({outcome}) [{where}] {text}")
        for outcome, layer, text in sorted(wrong):
            print(f"    ordinary -> {outcome} ({layer}) {text}")
    return {
        "recall": total[ALERT] / total["all"],
        "reached": (total[ALERT] + total[CHECK_IN]) / total["all"],
        "false_alerts": ordinary[ALERT] / n,
        "check_ins": ordinary[CHECK_IN] / n,
    }


def conversation_report(understanding: Understanding, name: str, misses: bool) -> None:
    """Disclosures split over messages: the outcome of the conversation (the worst of its turns)."""
    rank = {"none": 0, CHECK_IN: 1, ALERT: 2}
    outcomes: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    shown = []
    for conversation in _load(name, "conversations.yaml")["conversations"]:
        earlier: list[str] = []
        worst = "none"
        for message in conversation["messages"]:
            verdict = understanding.assess_risk(message, earlier)
            worst = max(worst, verdict.outcome, key=rank.__getitem__)
            if verdict.alert:
                break  # the bot's safeguarding path takes over from here
            earlier.append(message)
        outcomes[bool(conversation["disclosure"])][worst] += 1
        if (worst != ALERT) == bool(conversation["disclosure"]) or (
            not conversation["disclosure"] and worst != "none"
        ):
            shown.append((bool(conversation["disclosure"]), worst, " / ".join(conversation["messages"])))
    yes, no = outcomes[True], outcomes[False]
    print(
        f"  conversations with a split disclosure: alerted {_pct(yes[ALERT], sum(yes.values()))}, "
        f"checked in {yes[CHECK_IN]}, missed {yes['none']}; without one: false alerts "
        f"{_pct(no[ALERT], sum(no.values()))}, check-ins {no[CHECK_IN]}"
    )
    if misses:
        for disclosure, worst, text in sorted(shown):
            print(f"    {'disclosure' if disclosure else 'ordinary'} -> {worst}: {text}")


def kinds_report(understanding: Understanding, name: str, misses: bool) -> dict[str, float]:
    """Kind and intent accuracy, and how often an answer above the asking threshold is wrong."""
    threshold = understanding.config.ask_below
    per: dict[str, Counter[str]] = defaultdict(Counter)
    confident = confident_wrong = intent_right = 0
    wrong = []
    messages = _load(name, "kinds.yaml")["messages"]
    for item in messages:
        guess = understanding.classify(item["text"])
        right = guess.kind == item["kind"]
        per[item["kind"]]["all"] += 1
        per[item["kind"]]["right"] += right
        intent_right += guess.intent == item["intent"]
        if guess.confidence >= threshold:
            confident += 1
            confident_wrong += guess.intent != item["intent"]
        if guess.intent != item["intent"]:
            wrong.append((item["intent"], guess.intent, guess.confidence, item["text"]))
    n = len(messages)
    right = sum(c["right"] for c in per.values())
    print(f"  kinds: right {_pct(right, n)}; intents right {_pct(intent_right, n)}")
    print("    " + ", ".join(f"{k} {c['right']}/{c['all']}" for k, c in sorted(per.items())))
    print(
        f"  confident (>= {threshold}): {_pct(confident, n)} of messages; wrong intent among them "
        f"{_pct(confident_wrong, confident)}; the rest are asked with buttons"
    )
    if misses:
        for expected, got, confidence, text in sorted(wrong):
            print(f"    {expected} -> {got} ({confidence:.2f}) {text}")
    return {"kind": right / n, "confident_wrong": confident_wrong / max(confident, 1)}


def glossary_report(name: str, misses: bool) -> None:
    """False flags in the traps and terms missed, on staff prose."""
    checker = load_glossary(bundled_glossary_files()).checker()
    sentences = _load(name, "glossary.yaml")["sentences"]
    traps = flagged_traps = false_flags = missed = expected_total = 0
    shown = []
    for item in sentences:
        got = Counter(f.term for f in checker.check(item["text"]))
        expected = Counter(item.get("expect") or [])
        extra, lost = got - expected, expected - got
        expected_total += sum(expected.values())
        false_flags += sum(extra.values())
        missed += sum(lost.values())
        if item.get("trap"):
            traps += 1
            flagged_traps += bool(extra)
        if extra or lost:
            shown.append((dict(extra), dict(lost), item["text"]))
    print(
        f"  glossary: {traps} traps, false flags {false_flags} (in {flagged_traps} traps); "
        f"terms found {expected_total - missed}/{expected_total}"
    )
    if misses:
        for extra, lost, text in shown:
            print(f"    extra {extra} missed {lost}: {text}")


def timing(understanding: Understanding, quick: bool) -> None:
    """Time per message on one core: the whole classifier against the patterns alone."""
    texts = [d["text"] for d in _load("evaluation", "risk.yaml")["disclosures"]]
    texts += [o["text"] for o in _load("evaluation", "risk.yaml")["ordinary"]]
    texts += [k["text"] for k in _load("evaluation", "kinds.yaml")["messages"]]
    if quick:
        texts = texts[:40]
    whole, baseline, wall = [], [], []
    for text in texts:
        understanding._cache.items.clear()  # every message is new to the process
        start, cpu = time.perf_counter(), time.thread_time()
        understanding.assess_risk(text)
        understanding.classify(text)
        whole.append(time.thread_time() - cpu)
        wall.append(time.perf_counter() - start)
        cpu = time.thread_time()
        understanding.patterns.assess(text)
        baseline.append(time.thread_time() - cpu)
    p50, p99 = (np.percentile(whole, q) * 1000 for q in (50, 99))
    w50, w99 = (np.percentile(wall, q) * 1000 for q in (50, 99))
    b50 = statistics.median(baseline) * 1000
    # CPU time of this one thread is what one core spends on a message, whatever else the machine
    # is doing; the wall-clock figures beside it grow when other processes share the cores.
    print(
        f"  time per message, whole classifier (CPU time on one core, {len(texts)} messages): "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (wall clock p50 {w50:.1f} ms, p99 {w99:.1f} ms); "
        f"patterns alone (baseline) p50 {b50:.2f} ms; ratio p50 {p50 / max(b50, 1e-3):.0f}x"
    )


def sweep(understanding: Understanding) -> None:
    """The calibration set's trade-off at other thresholds (how the configured ones were chosen)."""
    data = _load("calibration", "risk.yaml")
    disclosures = [d["text"] for d in data["disclosures"]]
    ordinary = [o["text"] for o in data["ordinary"]]

    def scores(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        margins = np.array([understanding.message_score(t)[0] for t in texts])
        fired = np.array([understanding.patterns.assess(t).flagged for t in texts])
        return margins, fired

    pd, fd = scores(disclosures)
    po, fo = scores(ordinary)
    print("  alert_at  check_in_at  pattern_alert_at | alerted  reached | false alerts  check-ins")
    for alert_at in (0.03, 0.04, 0.05, 0.06, 0.08):
        for check_in in (-0.04, -0.03, -0.02, -0.01):
            for veto in (-0.1, -0.05, -0.02):
                if check_in > alert_at:
                    continue
                alert_d = (fd & (pd >= veto)) | (pd >= alert_at)
                reach_d = fd | (pd >= check_in)
                alert_o = (fo & (po >= veto)) | (po >= alert_at)
                check_o = (fo | (po >= check_in)) & ~alert_o
                print(
                    f"  {alert_at:8} {check_in:12} {veto:17} | {alert_d.mean():7.1%} {reach_d.mean():8.1%} |"
                    f" {alert_o.mean():12.1%} {check_o.mean():10.1%}"
                )


def run(quick: bool = False, argv: list[str] | None = None) -> None:
    """Print the figures (the benchmarks runner calls this with no arguments)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks understanding")
    parser.add_argument("--set", choices=(*SETS, "both"), default="both")
    parser.add_argument("--misses", action="store_true", help="list every message read wrongly")
    parser.add_argument("--sweep", action="store_true", help="threshold trade-off on the calibration set")
    args = parser.parse_args(argv if argv is not None else [])
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    start = time.perf_counter()
    understanding = build()
    print(f"  built in {time.perf_counter() - start:.1f} s (trains and caches on first use)")
    chosen = SETS if args.set == "both" else (args.set,)
    for name in chosen[:1] if quick else chosen:
        print(f"-- {name} set")
        risk_report(understanding, name, args.misses)
        if not quick:
            conversation_report(understanding, name, args.misses)
            kinds_report(understanding, name, args.misses)
            glossary_report(name, args.misses)
    if args.sweep:
        sweep(understanding)
    timing(understanding, quick)


if __name__ == "__main__":
    run(argv=sys.argv[1:])
