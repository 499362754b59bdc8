"""WSGI entry point for gunicorn (`gunicorn feedbackbot.wsgi:app`)."""

import sys

from feedbackbot.app import create_app
from feedbackbot.settings import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    sys.stderr.write(f"error: {exc}\n")
    sys.exit(2)
