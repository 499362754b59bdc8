"""Chat speed: one turn in the pure engine, through the service and database, and over HTTP.

Baseline, measured in the same run: an HTTP round trip to /healthz/live (one trivial query), so the
ratio shows what a chat turn costs on top of any request. Also prints the intent classifier's
accuracy on a held-out split of the intents file (every fifth example of each intent).
"""

from __future__ import annotations

import http.client
import json
import logging
import statistics
import time
from urllib.parse import urlsplit

from benchmarks.support import benchmark_app, served
from feedbackbot.core.intents import held_out_accuracy, load_intents
from feedbackbot.services.config import bundled, domain

TURNS = [
    {"choice": "kind:wrong"},
    {"text": "my family time got cancelled twice and nobody told me why"},
    {"choice": "topic:family"},
    {"choice": "identity:anonymous"},
    {"choice": "route:quick"},
    {"choice": "writer:self"},
    {"choice": "advocate:no"},
]
ROUNDS = 30  # conversations per measurement (each has len(TURNS) turns)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def engine_turns(rounds: int) -> list[float]:
    engine = domain().engine()
    samples = []
    for _ in range(rounds):
        state = engine.start().state
        for body in TURNS:
            start = time.perf_counter()
            state = engine.handle(state, text=body.get("text"), choice=body.get("choice")).state
            samples.append(time.perf_counter() - start)
    return samples


def in_process_turns(app, rounds: int) -> list[float]:
    client = app.test_client()
    samples = []
    for _ in range(rounds):
        started = client.post("/api/conversations").get_json()
        headers = {"X-Conversation-Token": started["token"]}
        for body in TURNS:
            start = time.perf_counter()
            response = client.post(f"/api/conversations/{started['id']}/messages", json=body, headers=headers)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, response.get_json()
    return samples


def http_turns(base_url: str, rounds: int) -> tuple[list[float], list[float]]:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    turns, health = [], []

    def call(method: str, path: str, body: dict | None = None, headers: dict | None = None) -> dict:
        payload = json.dumps(body) if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        assert response.status < 300, data
        return json.loads(data)

    for _ in range(rounds):
        start = time.perf_counter()
        call("GET", "/healthz/live")
        health.append(time.perf_counter() - start)
        started = call("POST", "/api/conversations")
        headers = {"X-Conversation-Token": started["token"]}
        for body in TURNS:
            start = time.perf_counter()
            call("POST", f"/api/conversations/{started['id']}/messages", body, headers)
            turns.append(time.perf_counter() - start)
    connection.close()
    return turns, health


def run(quick: bool = False) -> None:
    """Print the figures (`quick`: a few rounds only, for the test that keeps this runnable)."""
    rounds = 2 if quick else ROUNDS
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    intents = load_intents(bundled("intents", "intents.yaml"))
    accuracy, tested, mistakes = held_out_accuracy(intents)
    kinds = {i.id: i.kind for i in intents.intents}
    kind_accuracy = 1 - sum(kinds[expected] != kinds[got] for _, expected, got in mistakes) / tested
    with benchmark_app() as app, app.app_context():
        engine = _median_ms(engine_turns(rounds))
        in_process = _median_ms(in_process_turns(app, rounds))
        with served(app) as base_url:
            over_http, health = (_median_ms(s) for s in http_turns(base_url, rounds))
    print(
        f"intent classifier, held-out split: {accuracy:.1%} right intent, {kind_accuracy:.1%} right kind, of {tested} examples"
    )
    print(f"chat turn, pure engine:                    {engine:7.2f} ms (median of {rounds * len(TURNS)})")
    print(f"chat turn, API in-process (service + DB):  {in_process:7.2f} ms")
    print(f"chat turn, API over HTTP:                  {over_http:7.2f} ms")
    print(f"baseline, GET /healthz/live over HTTP:     {health:7.2f} ms")
    print(f"ratio chat turn / baseline (HTTP): {over_http / health:.1f}x")
