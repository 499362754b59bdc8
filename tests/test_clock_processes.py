"""Real clock processes against one database and a local mock Slack: every reminder posted once.

Two `feedbackbot clock --once` processes run at the same time; another is killed in the middle
of sending and a new one started later. In every case each reminder reaches Slack exactly once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from feedbackbot.core import timekeeping
from feedbackbot.services import complaints as svc
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import create_staff_user
from tests.slack_helpers import BOT_TOKEN, SIGNING_SECRET
from tests.support import CACHE_DIR

pytestmark = pytest.mark.slow
LONDON = ZoneInfo("Europe/London")
RUN_AT = "2026-11-24T09:05:00+00:00"  # Tuesday: warnings for acknowledgements due Thursday


@pytest.fixture
def open_cases(app):
    """Complaints received on Monday 23 November 2026, none acknowledged yet."""

    def make(count: int) -> list[str]:
        timekeeping.freeze(datetime(2026, 11, 23, 10, tzinfo=LONDON))
        try:
            officer = create_staff_user(
                "officer@trust.example", "complaints", "a-long-enough-password", name="Morgan"
            )
            references = []
            for i in range(count):
                feedback = record_feedback(kind="complaint", text=f"complaint {i}", channel="letter")
                svc.open_complaint(
                    officer,
                    feedback_reference=feedback.reference,
                    procedure="statutory",
                    relationship="parent",
                )
                references.append(feedback.reference)
            return references
        finally:
            timekeeping.freeze(None)

    return make


def clock_process(database, mock_slack, tmp_path: Path, now: str) -> subprocess.Popen:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("FEEDBACKBOT_", "SLACK_", "DATABASE_URL"))
        },
        "FEEDBACKBOT_ENV": "testing",
        "SECRET_KEY": "test",
        "DATABASE_URL": database.url,
        "FEEDBACKBOT_INSTANCE_PATH": str(tmp_path / "instance"),
        "FEEDBACKBOT_CACHE_DIR": str(CACHE_DIR),
        "FEEDBACKBOT_CLOCK_NOW": now,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": mock_slack.url,
        "SLACK_TIMEOUT_SECONDS": "5",
        "SLACK_COMPLAINTS_CHANNEL": "C0COMPLAINTS",
        "SLACK_MANAGERS_CHANNEL": "C0MANAGERS",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "feedbackbot", "clock", "--once"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def expected_keys(mock_slack) -> Counter:
    return Counter(k for k in mock_slack.posted_keys() if k)


def test_two_clocks_at_once_post_every_reminder_exactly_once(database, open_cases, mock_slack, tmp_path):
    references = open_cases(30)
    mock_slack.delay = 0.01
    first = clock_process(database, mock_slack, tmp_path, RUN_AT)
    second = clock_process(database, mock_slack, tmp_path, RUN_AT)
    outputs = [p.communicate(timeout=180)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    posted = expected_keys(mock_slack)
    reminders = [k for k in posted if k.startswith("reminder:")]
    assert len(reminders) == len(references) == 30
    assert posted["digest:daily:2026-11-24"] == 1
    assert set(posted.values()) == {1}, [k for k, n in posted.items() if n > 1]


def test_a_clock_killed_mid_run_and_restarted_posts_every_reminder_exactly_once(
    database, open_cases, mock_slack, tmp_path
):
    open_cases(40)
    mock_slack.delay = 0.15  # about six seconds of sending
    victim = clock_process(database, mock_slack, tmp_path, RUN_AT)
    deadline = time.monotonic() + 120
    while len(mock_slack.posted()) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert victim.poll() is None, "the clock finished before it could be killed"
    victim.kill()
    victim.communicate(timeout=30)
    sent_before_kill = len(mock_slack.posted())
    assert 5 <= sent_before_kill < 41
    mock_slack.delay = 0.0
    # The restarted clock runs a few minutes later, once the killed one's claim has lapsed.
    survivor = clock_process(database, mock_slack, tmp_path, "2026-11-24T09:10:00+00:00")
    output = survivor.communicate(timeout=180)[0]
    assert survivor.returncode == 0, output
    posted = expected_keys(mock_slack)
    assert len([k for k in posted if k.startswith("reminder:")]) == 40
    assert set(posted.values()) == {1}, [k for k, n in posted.items() if n > 1]
