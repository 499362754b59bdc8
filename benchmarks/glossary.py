"""Glossary checker throughput on ~1 MB of generated social-care text, against a naive baseline.

The text mixes real hits (terms used in the sense young people asked us to change), traps
(the same words where they must not be flagged: verbs, work placements, placement orders,
URLs, acronyms inside other words, care leavers) and plain filler, at roughly the density of
a case note. The baseline is the obvious implementation: one case-insensitive regex per term
form, run over the whole text, with no context rules at all.
"""

from __future__ import annotations

import random
import re

from benchmarks.util import best_of, median_of
from feedbackbot.core.glossary_data import bundled_glossary_files, load_glossary

HITS = [
    "Her placement has been stable since March.",
    "Contact with mum went well on Saturday.",
    "The LAC review is booked for next Tuesday.",
    "His foster carers took him to the dentist.",
    "She goes to respite one weekend a month.",
    "The siblings want to spend more time together.",
    "We updated the care plan after the meeting.",
    "Supervised contact was moved to the family centre.",
    "The Designated Teacher attended the PEP meeting.",
    "All CIC were invited to the awards evening.",
]
TRAPS = [
    "Please contact me on 0121 569 2000 if anything changes.",
    "He starts his work placement at the garage next week.",
    "A placement order was made by the court in June.",
    "See https://www.sandwell.example/placement-policy for the policy.",
    "Care leavers can get help with council tax.",
    "She wore her black lace dress to the prom.",
    "Contactless payments are accepted in the canteen.",
    "We will contact the college about her bus pass.",
    "Her contact details are on the system.",
    "Email placements@sandwell.example with any questions.",
]
FILLER = [
    "The young person said she was happy at school and wants to join the drama club.",
    "We talked about her health appointments and the optician visit next month.",
    "He would like more pocket money and to see his friends at the weekend.",
    "The social worker visited on Tuesday and they went for a walk in the park.",
    "She is doing well in maths and her teacher is pleased with her progress.",
    "They discussed what he wants to do after his exams and how to get there.",
    "Her carers said she has settled in and enjoys cooking tea on Fridays.",
    "He asked about learning to drive and whether the Trust can help with lessons.",
]


def generate(size: int = 1_000_000, seed: int = 2026) -> str:
    """Build deterministic text of about `size` characters: 15% hits, 10% traps, 75% filler."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        roll = rng.random()
        pool = HITS if roll < 0.15 else TRAPS if roll < 0.25 else FILLER
        sentence = rng.choice(pool)
        parts.append(sentence)
        length += len(sentence) + 1
        if rng.random() < 0.1:
            parts.append("\n\n")
    return " ".join(parts)


def naive_baseline(forms: list[str]) -> callable:
    """One regex per term form, run one after another; no context, no skipping."""
    patterns = [re.compile(rf"\b{re.escape(f)}\b", re.IGNORECASE) for f in forms]

    def run(text: str) -> int:
        return sum(1 for p in patterns for _ in p.finditer(text))

    return run


def run(quick: bool = False) -> None:
    """Print the figures (`quick`: 20 KB, for the test that keeps this runnable)."""
    glossary = load_glossary(bundled_glossary_files())
    checker = glossary.checker()
    text = generate(20_000 if quick else 1_000_000)
    megabytes = len(text.encode()) / 1_000_000
    forms = [f for e in glossary.entries for f in (*e.singular, *e.plural)]
    baseline = naive_baseline(forms)

    baseline_seconds = best_of(lambda: baseline(text))
    checker_seconds = best_of(lambda: checker.check(text))
    findings = len(checker.check(text))
    message = text[:1024]
    message_ms = median_of(lambda: checker.check(message)) * 1000

    print(f"text: {megabytes:.2f} MB, {findings} findings ({baseline(text)} naive matches)")
    print(f"baseline (one regex per form, no context): {megabytes / baseline_seconds:6.2f} MB/s")
    print(f"checker (trie scan + NLTK context rules):  {megabytes / checker_seconds:6.2f} MB/s")
    print(f"ratio checker/baseline: {baseline_seconds / checker_seconds:.2f}x")
    print(f"one 1 KB message: {message_ms:.3f} ms (median of 200)")
    print(
        f"targets: >= 5 MB/s {'met' if megabytes / checker_seconds >= 5 else 'MISSED'}, "
        f"< 1 ms per 1 KB {'met' if message_ms < 1 else 'MISSED'}"
    )
