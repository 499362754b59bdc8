"""A hanging Slack and the chat: ordinary turns while 50 disclosures' alerts wait on Slack.

50 young people disclose harm at once while the (local, mock) Slack answers nothing until its
timeout; then ordinary chat turns are timed over HTTP while those sends are still hanging.
Baseline, measured in the same run: the same turns with Slack answering at once. The target is
a p99 under 200 ms for the ordinary turns, and a ratio to the baseline near 1: a young person's
turn never waits for Slack. `--database-url postgresql://...` runs it on PostgreSQL (an empty
database or schema the benchmark may migrate).
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import statistics
import threading
import time
from urllib.parse import urlsplit

from benchmarks.support import benchmark_app, served
from feedbackbot.services import outbox
from tests.mock_slack import MockSlack

DISCLOSURE = "my step dad hits me when he is drunk"
ORDINARY = [
    {"text": "hello"},
    {"text": "I have an idea"},
    {"text": "a youth club on Fridays would be good"},
    {"text": "thanks"},
]
PEOPLE = 50


def _call(base_url: str, path: str, body: dict, headers: dict | None = None) -> tuple[int, dict]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=json.dumps(body),
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def _start(base_url: str) -> tuple[str, dict[str, str]]:
    status, started = _call(base_url, "/api/conversations", {"channel": "api"})
    assert status == 201, started
    return started["id"], {"X-Conversation-Token": started["token"]}


def ordinary_turns(base_url: str, rounds: int) -> list[float]:
    """Time each turn of a few ordinary conversations."""
    samples = []
    for _ in range(rounds):
        conversation, headers = _start(base_url)
        for body in ORDINARY:
            begin = time.perf_counter()
            status, answer = _call(base_url, f"/api/conversations/{conversation}/messages", body, headers)
            samples.append(time.perf_counter() - begin)
            assert status == 200, answer
    return samples


def disclose_at_once(base_url: str, people: int) -> list[float]:
    """`people` disclosures sent together; gives how long each took to be answered."""
    took: list[float] = []
    ready = threading.Barrier(people)

    def one() -> None:
        conversation, headers = _start(base_url)
        ready.wait()
        begin = time.perf_counter()
        status, _ = _call(
            base_url, f"/api/conversations/{conversation}/messages", {"text": DISCLOSURE}, headers
        )
        took.append(time.perf_counter() - begin)
        assert status == 200

    threads = [threading.Thread(target=one) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return took


def _p(samples: list[float], q: int) -> float:
    if len(samples) < 2:
        return samples[0] * 1000
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


def run(quick: bool = False, argv: list[str] | None = None) -> None:
    """Print the figures (`quick`: a few people and turns, for the test that keeps this runnable)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks slack_hang")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv or [])
    people, rounds, timeout = (5, 2, 2) if quick else (PEOPLE, 15, 10)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("slack_sdk").setLevel(logging.CRITICAL)
    logging.getLogger("feedbackbot.services.outbox").setLevel(logging.CRITICAL)
    mock = MockSlack().start()
    overrides: dict[str, object] = {
        "SLACK_BOT_TOKEN": "xoxb-benchmark",
        "SLACK_SIGNING_SECRET": "benchmark",
        "SLACK_API_URL": mock.url,
        "SLACK_SAFEGUARDING_CHANNEL": "C0DUTY",
        "SLACK_TIMEOUT_SECONDS": timeout,
    }
    if args.database_url:
        overrides["SQLALCHEMY_DATABASE_URI"] = args.database_url
    try:
        with benchmark_app(**overrides) as app, served(app) as base_url:
            baseline = ordinary_turns(base_url, rounds)
            mock.mode, mock.hang_seconds = "hang", timeout * 3
            disclosures = disclose_at_once(base_url, people)
            hung = ordinary_turns(base_url, rounds)
            still_waiting = len(outbox._queued)
            mock.mode = "ok"
            with app.app_context():
                outbox.wait_for_background(timeout * 4)
    finally:
        mock.stop()
    print(f"{people} disclosures at once, Slack hanging: answered in {_p(disclosures, 50):7.1f} ms median")
    print(f"ordinary turn while Slack hangs:  p50 {_p(hung, 50):7.1f} ms   p99 {_p(hung, 99):7.1f} ms")
    print(
        f"baseline, Slack answering:        p50 {_p(baseline, 50):7.1f} ms   p99 {_p(baseline, 99):7.1f} ms"
    )
    print(f"sends still waiting on Slack while measured: {still_waiting}")
    print(f"ratio p99 hanging / baseline: {_p(hung, 99) / _p(baseline, 99):.1f}x (target: p99 under 200 ms)")
