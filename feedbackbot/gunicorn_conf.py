"""gunicorn settings for the web process (`gunicorn -c python:feedbackbot.gunicorn_conf feedbackbot.wsgi:app`).

Chosen by measurement on 2 cores with 100 young people chatting at once (python -m benchmarks
load; the figures are in the README): see the comment on each setting. WEB_CONCURRENCY and
GUNICORN_THREADS override the number of processes and threads, PORT the port.
"""

from __future__ import annotations

import os

# One core per request for numpy's BLAS as for onnxruntime (embedding.py): the workers and their
# threads already run side by side, and extra math threads would only fight them for the 2 cores.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

bind = f"0.0.0.0:{os.environ.get('PORT', '5000')}"

# One process per core. A chat turn is mostly CPU (the sentence model, ~14 ms, releases the GIL
# while it runs), so more processes than cores only add switching and memory.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# Threads, so one slow request (a long message, a lock wait) does not hold up everyone queued behind
# it on that process, as it does with sync workers; keep-alive connections are served too.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Each worker builds its own app (a few seconds: the semantic model). Not preloaded: an onnxruntime
# session made before the fork aborts the worker when it exits ("terminate called after throwing
# an instance of std::system_error", SIGABRT, seen in the load test), and sharing the model's
# ~100 MB between two workers is not worth that.
preload_app = False

# Longer than the database statement timeout (5 s) and a Slack call never happens in a request, so
# a worker silent this long is stuck, not busy.
timeout = 30
graceful_timeout = 20
keepalive = 5

accesslog = "-"
# A young person's words never go in the access log: the path holds ids only, no query strings.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def post_worker_init(worker: object) -> None:
    """The worker has built its app: load what first use would load, then freeze it out of the GC's way."""
    from feedbackbot.app import settle_memory, warm_up

    app = getattr(worker, "wsgi", None)
    if app is not None and hasattr(app, "app_context"):
        warm_up(app)
    settle_memory()
