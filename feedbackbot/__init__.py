"""feedbackbot: the Voices of Sandwell participation and feedback service."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """Import the app factory on first use, so `feedbackbot glossary` never loads the web app."""
    if name == "create_app":
        from feedbackbot.app import create_app

        return create_app
    raise AttributeError(f"module 'feedbackbot' has no attribute {name!r}")
