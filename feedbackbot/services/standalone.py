"""Configuration for the commands that run without the web app (glossary, timescales, chat classify).

Inside an app (the web process, tests, `feedbackbot shell`) the services use the app's own
configuration; a command that never built an app reads the same settings from the environment,
once per process, without importing Flask or SQLAlchemy.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Any


def current_app_or_none() -> Any:
    """The Flask app of the current context, or None (and Flask is not imported to find out)."""
    flask = sys.modules.get("flask")
    if flask is None or not flask.has_app_context():
        return None
    return flask.current_app._get_current_object()


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    """The settings from the environment, read once per process (no secret key, no database)."""
    from feedbackbot.settings import standalone_settings

    return standalone_settings(os.environ)
