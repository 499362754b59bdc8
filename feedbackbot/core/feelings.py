"""Messages that are only emoji: which feeling they show (sad, angry, scared, happy), if any."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Set

# Emoji are often sent with skin tones, variation selectors and joiners: they carry no meaning here.
_IGNORED = {"\ufe0f", "\ufe0e", "\u200d"}
# When faces disagree the more worrying feeling is answered.
ORDER = ("scared", "sad", "angry", "happy")


def is_emoji_only(text: str) -> bool:
    """True when a message has no letters or digits, only symbols (emoji) and spaces."""
    stripped = "".join(ch for ch in text if not ch.isspace())
    return bool(stripped) and not any(ch.isalnum() for ch in stripped)


def feeling_of(text: str, feelings: Mapping[str, Set[str]]) -> str | None:
    """The feeling an emoji-only message shows, from the data file's lists; None for anything else."""
    if not is_emoji_only(text):
        return None
    found = set()
    for ch in text:
        if ch.isspace() or ch in _IGNORED or unicodedata.category(ch) == "Sk":  # Sk: skin tones
            continue
        for feeling, symbols in feelings.items():
            if ch in symbols:
                found.add(feeling)
    for feeling in ORDER:
        if feeling in found:
            return feeling
    return next(iter(sorted(found)), None)
