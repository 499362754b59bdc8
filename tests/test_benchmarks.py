"""The benchmarks stay runnable: each runs at a small size and prints its figures and ratio.

(Speed targets are judged by running `python -m benchmarks`, not here.)
"""

from __future__ import annotations

import logging

import pytest

from benchmarks import chat, clock, glossary, load, reports, slack_hang, startup, themes, understanding
from tests.support import CACHE_DIR


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        (glossary, "ratio checker/baseline"),
        (chat, "ratio chat turn / baseline"),
        (clock, "ratio baseline/indexed"),
        (understanding, "patterns alone (baseline)"),
        (slack_hang, "ratio p99 hanging / baseline"),
        (load, "ratio turn p99 / live p99"),
        (startup, "feedbackbot --help"),
        (reports, "ratio report page (year) / baseline"),
        (themes, "ratio detector/baseline"),
    ],
)
def test_benchmark_runs_and_reports_a_ratio(module, expected, capsys, monkeypatch):
    monkeypatch.setenv("FEEDBACKBOT_CACHE_DIR", str(CACHE_DIR))  # the chat models trained once
    level = logging.getLogger("feedbackbot").level
    try:
        module.run(quick=True)
    finally:
        logging.getLogger("feedbackbot").setLevel(level)
    assert expected in capsys.readouterr().out
