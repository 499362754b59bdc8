"""Many young people chatting at once, against a served instance on this machine.

    python -m benchmarks load --url http://127.0.0.1:5000 [--users 100] [--duration 60]
                              [--database-url postgresql://...]

Each simulated young person runs whole conversations (a complaint, a compliment or an idea: start,
every turn, sending it, then looking it up with the reference and code), waiting 1-3 s between
messages as a person typing would, until the time is up; a conversation under way is finished
(bounded: at most --duration plus one conversation). Beside them, /healthz/live is asked every
0.2 s in the same run: the baseline of what any request costs while the chat is busy.

It prints p50/p95/p99 per request type and the errors. With --database-url (the database the
served instance uses) it then checks that every conversation was stored exactly once: one
conversation row per conversation started, each message once, and one feedback record per
reference shown.

Only loopback addresses are accepted: this sends real traffic. Serve the instance with
FEEDBACKBOT_TRUSTED_PROXIES=1: each simulated young person then sends its own X-Forwarded-For
address (from 10.77.0.0/16, a label only: nothing is sent there), so the per-address rate limits
apply to each of them as they would behind the platform's router.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

SCRIPTS = {
    "complaint": [
        {"choice": "kind:wrong"},
        {"text": "my family time got cancelled twice and nobody told me why"},
        {"choice": "topic:family"},
        {"choice": "identity:anonymous"},
        {"choice": "route:quick"},
        {"choice": "writer:self"},
        {"choice": "advocate:no"},
        {"choice": "confirm:send"},
    ],
    "compliment": [
        {"choice": "kind:good"},
        {"text": "thank you kez for helping me sort out college, you always listen"},
        {"choice": "topic:worker"},
        {"choice": "identity:anonymous"},
        {"choice": "confirm:send"},
    ],
    "idea": [
        {"choice": "kind:idea"},
        {"text": "we should have a film night at the youth club once a month"},
        {"choice": "topic:other"},
        {"choice": "identity:anonymous"},
        {"choice": "confirm:send"},
    ],
}
CODE = re.compile(r"your code is ([A-Z0-9]{4}-[A-Z0-9]{4})")
TYPES = ("start", "turn", "send", "status", "live")
REQUEST_TIMEOUT = 30.0


def loopback_only(url: str) -> tuple[str, int]:
    """Host and port of `url`, refusing anything but this machine's loopback addresses."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise SystemExit(f"load: --url must be http://127.0.0.1:PORT (got {url!r})")
    host = parts.hostname
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise SystemExit(f"load: refusing {host}: only loopback addresses (127.0.0.0/8, ::1, localhost)")
    return host, parts.port or 80


@dataclass
class Results:
    """Timings per request type, errors, and what was stored (for the database check)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict[str, list[float]] = field(default_factory=lambda: {t: [] for t in TYPES})
    errors: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in TYPES})
    conversations: dict[str, int] = field(default_factory=dict)  # id -> messages the person sent
    references: dict[str, str] = field(default_factory=dict)  # conversation id -> reference shown

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.timings[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


class Client:
    """One young person's connection (kept alive between messages where the server allows)."""

    def __init__(self, host: str, port: int, address: str, results: Results) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
        self.address = address
        self.results = results

    def call(
        self, kind: str, method: str, path: str, body: dict | None = None, token: str = ""
    ) -> dict | None:
        headers = {"Content-Type": "application/json", "X-Forwarded-For": self.address}
        if token:
            headers["X-Conversation-Token"] = token
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.connection.close()
            self.results.record(kind, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
            return None
        elapsed = time.perf_counter() - start
        if response.status >= 300:
            self.results.record(kind, elapsed, f"HTTP {response.status} {path}: {data[:120]!r}")
            return None
        self.results.record(kind, elapsed)
        return json.loads(data) if data else {}


def young_person(
    number: int, host: str, port: int, results: Results, deadline: float, think: tuple[float, float]
) -> None:
    rng = random.Random(number)
    client = Client(host, port, f"10.77.{number // 250}.{number % 250 + 1}", results)
    time.sleep(rng.uniform(0, think[1]))  # people do not all arrive in the same second
    while time.monotonic() < deadline:
        script = SCRIPTS[rng.choice(list(SCRIPTS))]
        started = client.call("start", "POST", "/api/conversations", {"channel": "api"})
        if started is None:
            time.sleep(rng.uniform(*think))
            continue
        conversation, token = started["id"], started["token"]
        with results.lock:
            results.conversations[conversation] = 0
        reply: dict | None = None
        for body in script:
            time.sleep(rng.uniform(*think))
            kind = "send" if body.get("choice") == "confirm:send" else "turn"
            reply = client.call(kind, "POST", f"/api/conversations/{conversation}/messages", body, token)
            if reply is None:
                break
            with results.lock:
                results.conversations[conversation] += 1
        if not reply or not reply.get("reference"):
            continue
        texts = " ".join(m["text"] for m in reply["messages"])
        code = CODE.search(texts)
        with results.lock:
            results.references[conversation] = reply["reference"]
        if code is None:
            results.record("send", 0.0, f"no code shown in {texts[:120]!r}")
            continue
        time.sleep(rng.uniform(*think))
        client.call(
            "status", "POST", "/api/feedback/status", {"reference": reply["reference"], "code": code[1]}
        )
    client.connection.close()


def prober(host: str, port: int, results: Results, deadline: float) -> None:
    client = Client(host, port, "10.77.255.254", results)
    while time.monotonic() < deadline:
        client.call("live", "GET", "/healthz/live")
        time.sleep(0.2)


def percentile(samples: list[float], share: float) -> float:
    """The value below which `share` of the samples lie (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def check_database(url: str, results: Results) -> list[str]:
    """Every conversation stored once, each message once, one feedback per reference shown."""
    from sqlalchemy import bindparam, create_engine, text

    problems = []
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    ids = list(results.conversations)
    with engine.connect() as connection:
        stored: dict[str, int] = {}
        linked: dict[str, str | None] = {}
        for first in range(0, len(ids), 500):
            chunk = ids[first : first + 500]
            rows = connection.execute(
                text(
                    "SELECT c.id, f.reference, (SELECT count(*) FROM conversation_message m "
                    "WHERE m.conversation_id = c.id AND m.sender = 'young_person') "
                    "FROM conversation c LEFT JOIN feedback f ON f.id = c.feedback_id WHERE c.id IN :ids"
                ).bindparams(bindparam("ids", expanding=True)),
                {"ids": chunk},
            )
            for conversation, reference, said in rows:
                stored[conversation] = said
                linked[conversation] = reference
        references = list(results.references.values())
        counts = dict(
            connection.execute(
                text(
                    "SELECT reference, count(*) FROM feedback WHERE reference IN :refs GROUP BY reference"
                ).bindparams(bindparam("refs", expanding=True)),
                {"refs": references or [""]},
            ).all()
        )
    engine.dispose()
    for conversation, sent in results.conversations.items():
        if conversation not in stored:
            problems.append(f"conversation {conversation} is not stored")
        elif stored[conversation] != sent:
            problems.append(
                f"conversation {conversation}: {sent} messages sent, {stored[conversation]} stored"
            )
    for conversation, reference in results.references.items():
        if counts.get(reference) != 1:
            problems.append(f"reference {reference} stored {counts.get(reference, 0)} times")
        if linked.get(conversation) != reference:
            problems.append(
                f"conversation {conversation} is linked to {linked.get(conversation)}, not {reference}"
            )
    return problems


def load_average() -> str:
    """The machine's load average (other work on the machine disturbs the figures)."""
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        return "unknown"


def run(argv: list[str] | None = None, quick: bool = False) -> None:
    """Run the load test against --url and print the figures (quick: a served benchmark app, small)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="the served instance, e.g. http://127.0.0.1:5000 (loopback only)")
    parser.add_argument("--users", type=int, default=100, help="young people chatting at once")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds to keep starting conversations")
    parser.add_argument("--think", default="1-3", help="seconds between messages, MIN-MAX")
    parser.add_argument(
        "--database-url", help="the instance's database: check every conversation was stored once"
    )
    args = parser.parse_args(argv or [])
    if quick:
        _quick()
        return
    if not args.url:
        parser.error("--url is required (start the service first, e.g. with gunicorn)")
    if not 1 <= args.users <= 1000 or not 1 <= args.duration <= 1800:
        parser.error("--users must be 1-1000 and --duration 1-1800 seconds")
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))
    host, port = loopback_only(args.url)
    results = drive(host, port, args.users, args.duration, think)
    report(results, args, think)
    if args.database_url:
        problems = check_database(args.database_url, results)
        print(
            f"database: {len(results.conversations)} conversations and {len(results.references)} feedback "
            f"records checked: {'every one stored exactly once' if not problems else f'{len(problems)} PROBLEMS'}"
        )
        for problem in problems[:20]:
            print(f"  {problem}")


def drive(host: str, port: int, users: int, duration: float, think: tuple[float, float]) -> Results:
    """Run the young people and the prober until the time is up; give what they saw."""
    results = Results()
    deadline = time.monotonic() + duration
    threads = [threading.Thread(target=prober, args=(host, port, results, deadline), daemon=True)]
    threads += [
        threading.Thread(target=young_person, args=(n, host, port, results, deadline, think), daemon=True)
        for n in range(users)
    ]
    print(
        f"load: {users} young people, think {think[0]:g}-{think[1]:g} s, {duration:g} s, load average before: {load_average()}"
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 60 * REQUEST_TIMEOUT)
    return results


def report(results: Results, args: argparse.Namespace | None, think: tuple[float, float]) -> None:
    """p50/p95/p99 per request type, errors, the load average."""
    print(f"{'request':8} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind in TYPES:
        samples = results.timings[kind]
        if not samples:
            continue
        p50, p95, p99 = (percentile(samples, s) * 1000 for s in (0.50, 0.95, 0.99))
        print(
            f"{kind:8} {len(samples):6} {len(results.errors[kind]):6} {p50:8.1f} {p95:8.1f} {p99:8.1f} {max(samples) * 1000:8.1f}"
        )
    errors = [e for kind in TYPES for e in results.errors[kind]]
    for error in sorted(set(errors))[:10]:
        print(f"  error: {error}")
    turns = results.timings["turn"]
    live = results.timings["live"]
    if turns and live:
        print(
            f"ratio turn p99 / live p99: {percentile(turns, 0.99) / percentile(live, 0.99):.1f}x; "
            f"turn median {statistics.median(turns) * 1000:.1f} ms"
        )
    print(f"load average after: {load_average()} (the machine's other work disturbs these figures)")


def _quick() -> None:
    """A few young people for a few seconds against a served benchmark app (keeps this runnable)."""
    import logging
    from pathlib import Path

    from benchmarks.support import benchmark_app, served

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with benchmark_app(TRUSTED_PROXIES=1) as app, app.app_context(), served(app) as base_url:
        host, port = loopback_only(base_url)
        results = drive(host, port, users=3, duration=2.0, think=(0.0, 0.05))
        report(results, None, (0.0, 0.05))
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        problems = check_database(url, results)
        assert Path(url.removeprefix("sqlite:///")).exists()
        print(f"database: {problems or 'every one stored exactly once'}")
