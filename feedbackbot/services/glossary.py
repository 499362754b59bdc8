"""Glossary checking for every channel: one compiled checker per app, built from configuration.

Without an app (`feedbackbot glossary ...`) one checker per process is built from the environment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedbackbot.core.glossary import Finding, GlossaryChecker, GlossaryError, strip_keep_markers
from feedbackbot.core.glossary_data import bundled_glossary_files, load_glossary
from feedbackbot.services import standalone
from feedbackbot.settings import ConfigError

if TYPE_CHECKING:
    from flask import Flask

EXTENSION_KEY = "feedbackbot.glossary"


@dataclass(frozen=True)
class WordingCheck:
    """The result staff see: the findings and the text with the first suggestions applied."""

    text: str
    findings: list[Finding]
    rewritten: str

    @property
    def clean(self) -> bool:
        """Tell whether nothing was found."""
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        """Give the JSON shape of the API."""
        return {
            "clean": self.clean,
            "findings": [f.to_dict() for f in self.findings],
            "rewritten": self.rewritten,
        }


def build_checker(config: Mapping[str, Any]) -> GlossaryChecker:
    """Load the bundled glossary plus the Trust's own files, minus the terms switched off."""
    files = [*bundled_glossary_files(), *config.get("GLOSSARY_FILES", [])]
    cache_dir = Path(config["CACHE_DIR"]) if config.get("CACHE_DIR") else None
    try:
        glossary = load_glossary(files, disabled=config.get("GLOSSARY_DISABLED", []), cache_dir=cache_dir)
    except GlossaryError as exc:
        raise ConfigError(f"glossary: {exc}") from None
    return glossary.checker()


def init_app(app: Flask) -> None:
    """Compile the glossary once at start-up, so a bad file stops the app with its line number."""
    app.extensions[EXTENSION_KEY] = build_checker(app.config)


@lru_cache(maxsize=1)
def _standalone_checker() -> GlossaryChecker:
    return build_checker(standalone.settings())


def checker() -> GlossaryChecker:
    """Give the current app's checker, or without an app the one configured by the environment."""
    app = standalone.current_app_or_none()
    if app is None:
        return _standalone_checker()
    return app.extensions[EXTENSION_KEY]


def check_wording(text: str) -> WordingCheck:
    """Check staff wording against the glossary and suggest a rewrite."""
    found = checker().check(text)
    return WordingCheck(text=text, findings=found, rewritten=checker().rewrite(text, found))


def prepare_outgoing(text: str) -> str:
    """Strip [keep] markers from a message a member of staff is about to send to a young person."""
    return strip_keep_markers(text).strip()
