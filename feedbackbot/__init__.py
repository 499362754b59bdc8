"""feedbackbot: the Voices of Sandwell participation and feedback service."""

from feedbackbot.app import create_app

__all__ = ["create_app"]
