"""Translations: the gettext catalogues compiled at start-up, and the chat's lines per language.

The .po catalogues live in the repository (feedbackbot/translations) and ship in the package. When
the app starts, each is compiled to a .mo in the cache folder if the .mo is missing or was made
from a different .po (a sha256 beside it), so `pip install -e .`, a wheel and a clean clone all
work without a build step and never serve a stale catalogue.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from importlib import resources
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "messages"


def catalogue_dir() -> Path:
    """The .po catalogues shipped in the package."""
    return Path(str(resources.files("feedbackbot").joinpath("translations")))


def shipped_languages() -> list[str]:
    """Languages with a catalogue, e.g. ["pa", "pl", "ur"]."""
    root = catalogue_dir()
    return sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def compile_catalogues(target: Path, source: Path | None = None) -> Path:
    """Compile every .po whose .mo is missing or stale into `target`; give the directory Babel reads."""
    source = source or catalogue_dir()
    for po in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        raw = po.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        out_dir = target / lang / "LC_MESSAGES"
        mo = out_dir / f"{DOMAIN}.mo"
        stamp = out_dir / f"{DOMAIN}.sha256"
        if mo.exists() and stamp.exists() and stamp.read_text().strip() == digest:
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        # Written beside and moved into place: several web processes may start at once.
        fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".mo")
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        os.replace(tmp, mo)
        fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".sha256")
        with os.fdopen(fd, "w") as handle:
            handle.write(digest)
        os.replace(tmp, stamp)
    return target


def load_translations(compiled: Path, lang: str) -> Translations:
    """The compiled catalogue of one language (an empty one for English)."""
    return Translations.load(str(compiled), [lang], domain=DOMAIN)
