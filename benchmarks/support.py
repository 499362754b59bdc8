"""A throwaway app with a migrated SQLite database, and a real HTTP server for it."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from feedbackbot import create_app


@contextmanager
def benchmark_app(**overrides: object) -> Iterator[Flask]:
    """An app on a fresh SQLite file, created through the migrations, limits off."""
    from flask_migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        config = {
            "ENV_NAME": "testing",
            "SECRET_KEY": "benchmark",
            "INSTANCE_PATH": folder,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
            "RATELIMIT_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
        config.update(overrides)
        app = create_app(config)
        with app.app_context():
            upgrade()
        yield app


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """Serve the app on localhost; gives its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
