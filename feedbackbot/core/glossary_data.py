"""Loading glossary YAML files into a Glossary, with every problem reported as file:line: what."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from feedbackbot.core import yamlfile
from feedbackbot.core.glossary import (
    ContextRule,
    Entry,
    Glossary,
    GlossaryError,
    PatternToken,
    Replacement,
)

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SPECIAL_TOKENS = {"<start>": "start", "<Name>": "name", "<num>": "num"}
ENTRY_KEYS = {
    "id",
    "label",
    "forms",
    "replacements",
    "reason",
    "source",
    "acronym",
    "keep",
    "default",
    "context",
    "examples",
    "skip_in_text",
}
RULE_KEYS = {"action", "before", "after", "number", "possessive", "why"}


def bundled_glossary_files() -> list[Path]:
    """Give the glossary files shipped in the package (the top-level glossary/ folder)."""
    folder = resources.files("feedbackbot") / "data" / "glossary"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))


# Bumped when what is cached changes shape, so an old cache file is never read.
_CACHE_VERSION = "glossary-data-1"


def _cache_file(cache_dir: Path | None, text: str) -> Path | None:
    if cache_dir is None:
        return None
    digest = hashlib.sha256(f"{_CACHE_VERSION}\0{text}".encode()).hexdigest()[:32]
    return Path(cache_dir) / f"glossary-{digest}.json"


def _read_cached(path: Path | None) -> Any:
    """The parsed data cached for exactly this text, or _MISSING (no file, or unreadable)."""
    if path is None or not path.is_file():
        return _MISSING
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _MISSING


def _write_cached(path: Path | None, data: Any) -> None:
    """Keep the parsed data as JSON (only when JSON gives back exactly the same), atomically."""
    if path is None:
        return
    import os  # here: only a file seen for the first time is written
    import tempfile

    try:
        encoded = json.dumps(data, ensure_ascii=False)
        if json.loads(encoded) != data:  # e.g. a date or a number as a key: parse the YAML each time
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(encoded)
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):  # a read-only disk only costs start-up time
        return


_MISSING = object()


class _Source:
    """A parsed YAML file that remembers the line of every value, for error messages.

    With a cache folder, the parsed data of a file seen before is read from JSON keyed by the
    file's sha256 (YAML parsing is most of loading the glossary); the lines are then worked out
    only if there is a problem to report.
    """

    def __init__(self, path: str, text: str, cache_dir: Path | None = None) -> None:
        self.path = path
        self._text = text
        self._lines: dict[tuple[Any, ...], int] | None = None
        cache = _cache_file(cache_dir, text)
        cached = _read_cached(cache)
        if cached is not _MISSING:
            self.data = cached
            return
        try:
            node = yamlfile.compose(text)
            self.data = yamlfile.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problem = getattr(exc, "problem", None) or str(exc)
            raise GlossaryError(f"{path}:{line}: not valid YAML: {problem}") from None
        self._lines = {}
        if node is not None:
            self._index(node, ())
        _write_cached(cache, self.data)

    @property
    def lines(self) -> dict[tuple[Any, ...], int]:
        """The line of every value (parsed again only when the data came from the cache)."""
        if self._lines is None:
            self._lines = {}
            node = yamlfile.compose(self._text)
            if node is not None:
                self._index(node, ())
        return self._lines

    def _index(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        self._lines[path] = node.start_mark.line + 1  # type: ignore[index]
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                self._index(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*path, i))

    def error(self, path: tuple[Any, ...], problem: str) -> GlossaryError:
        """Build an error pointing at the closest line known for `path`."""
        probe = path
        while probe not in self.lines and probe:
            probe = probe[:-1]
        line = self.lines.get(probe, 1)
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        return GlossaryError(f"{self.path}:{line}: {where or 'file'}: {problem}")


def _strings(src: _Source, value: Any, path: tuple[Any, ...], *, required: bool) -> tuple[str, ...]:
    if value is None:
        if required:
            raise src.error(path, "is required")
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise src.error(path, "must be a list of words or phrases")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            hint = ' (quote words YAML reads as true/false/numbers, e.g. "no", "on")'
            raise src.error((*path, i), f"{item!r} is not text{hint if item is not None else ''}")
    return tuple(v.strip() for v in value)


def _text(src: _Source, entry: dict[str, Any], key: str, path: tuple[Any, ...]) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise src.error((*path, key), "is required and must be text")
    return value.strip()


def _phrase(
    src: _Source, raw: str, path: tuple[Any, ...], classes: set[str], *, reverse: bool
) -> tuple[PatternToken, ...]:
    tokens = []
    for part in raw.split():
        optional = part.endswith("?") and len(part) > 1
        if optional:
            part = part[:-1]
        if part in SPECIAL_TOKENS:
            tokens.append(PatternToken(SPECIAL_TOKENS[part], optional=optional))  # type: ignore[arg-type]
        elif part.startswith("<") and part.endswith(">"):
            name = part[1:-1]
            if name not in classes:
                raise src.error(path, f"unknown word class <{name}> (define it under word_classes)")
            tokens.append(PatternToken("class", name, optional))
        else:
            tokens.append(PatternToken("word", part.lower().replace("’", "'"), optional))
    if not tokens:
        raise src.error(path, "an empty phrase")
    return tuple(reversed(tokens)) if reverse else tuple(tokens)


def _rules(src: _Source, raw: Any, path: tuple[Any, ...], classes: set[str]) -> tuple[ContextRule, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise src.error(path, "must be a list of rules")
    rules = []
    for i, rule in enumerate(raw):
        here = (*path, i)
        if not isinstance(rule, dict):
            raise src.error(here, "each rule is a mapping with action and before and/or after")
        unknown = set(rule) - RULE_KEYS
        if unknown:
            raise src.error(here, f"unknown key(s): {', '.join(sorted(unknown))}")
        action = rule.get("action")
        if action not in ("flag", "skip"):
            raise src.error((*here, "action"), "must be flag or skip")
        number = rule.get("number")
        if number not in (None, "singular", "plural"):
            raise src.error((*here, "number"), "must be singular or plural")
        before = tuple(
            _phrase(src, p, (*here, "before", j), classes, reverse=True)
            for j, p in enumerate(_strings(src, rule.get("before"), (*here, "before"), required=False))
        )
        after = tuple(
            _phrase(src, p, (*here, "after", j), classes, reverse=False)
            for j, p in enumerate(_strings(src, rule.get("after"), (*here, "after"), required=False))
        )
        possessive = rule.get("possessive")
        if possessive not in (None, True, False):
            raise src.error((*here, "possessive"), "must be true or false")
        if not before and not after and possessive is None:
            raise src.error(here, "a rule needs before and/or after phrases (or possessive)")
        rules.append(ContextRule(action, before, after, number, str(rule.get("why", "")), possessive))
    return tuple(rules)


def _replacements(src: _Source, raw: Any, path: tuple[Any, ...]) -> tuple[Replacement, ...]:
    if not isinstance(raw, list) or not raw:
        raise src.error(path, "must be a list of at least one replacement")
    out = []
    for i, item in enumerate(raw):
        here = (*path, i)
        if isinstance(item, str):
            item = {"singular": item, "plural": item}
        if not isinstance(item, dict):
            raise src.error(here, "a replacement is text or a mapping with singular and plural")
        singular = item.get("singular")
        plural = item.get("plural", singular)
        if not isinstance(singular, str) or not isinstance(plural, str):
            raise src.error(here, "needs singular (and plural) as text")
        out.append(Replacement(singular.strip(), plural.strip(), bool(item.get("proper", False))))
    return tuple(out)


def _entry(src: _Source, raw: Any, path: tuple[Any, ...], classes: set[str]) -> Entry:
    if not isinstance(raw, dict):
        raise src.error(path, "each term is a mapping")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise src.error(path, f"unknown key(s): {', '.join(sorted(unknown))}")
    term_id = _text(src, raw, "id", path)
    if not ID_PATTERN.match(term_id):
        raise src.error((*path, "id"), f"{term_id!r} must be lower-case words joined by hyphens")
    keep = bool(raw.get("keep", False))
    forms = raw.get("forms")
    if not isinstance(forms, dict):
        raise src.error((*path, "forms"), "is required: a mapping with singular and/or plural lists")
    singular = _strings(src, forms.get("singular"), (*path, "forms", "singular"), required=False)
    plural = _strings(src, forms.get("plural"), (*path, "forms", "plural"), required=False)
    if not singular and not plural:
        raise src.error((*path, "forms"), "needs at least one singular or plural form")
    default = raw.get("default", "flag")
    if default not in ("flag", "skip"):
        raise src.error((*path, "default"), "must be flag or skip")
    examples = raw.get("examples") or {}
    if not isinstance(examples, dict):
        raise src.error((*path, "examples"), "must be a mapping with flag and/or keep lists")
    return Entry(
        id=term_id,
        label=_text(src, raw, "label", path),
        singular=singular,
        plural=plural,
        replacements=() if keep else _replacements(src, raw.get("replacements"), (*path, "replacements")),
        reason=_text(src, raw, "reason", path),
        source=_text(src, raw, "source", path),
        acronym=bool(raw.get("acronym", False)),
        keep=keep,
        rules=_rules(src, raw.get("context"), (*path, "context"), classes),
        default=default,
        examples_flag=_strings(src, examples.get("flag"), (*path, "examples", "flag"), required=False),
        examples_keep=_strings(src, examples.get("keep"), (*path, "examples", "keep"), required=False),
        skip_in_text=tuple(
            p.lower() for p in _strings(src, raw.get("skip_in_text"), (*path, "skip_in_text"), required=False)
        ),
    )


def parse_glossary_text(
    text: str,
    path: str = "<glossary>",
    known_classes: Iterable[str] = (),
    cache_dir: Path | None = None,
) -> tuple[list[Entry], dict[str, frozenset[str]]]:
    """Parse one glossary document; raise GlossaryError naming the line of the first problem."""
    src = _Source(path, text, cache_dir)
    data = src.data
    if not isinstance(data, dict):
        raise src.error((), "must be a mapping with `terms:` (and optionally `word_classes:`)")
    if data.get("version", 1) != 1:
        raise src.error(("version",), "only version 1 is understood")
    unknown = set(data) - {"version", "word_classes", "terms"}
    if unknown:
        raise src.error((), f"unknown key(s): {', '.join(sorted(unknown))}")
    classes: dict[str, frozenset[str]] = {}
    raw_classes = data.get("word_classes") or {}
    if not isinstance(raw_classes, dict):
        raise src.error(("word_classes",), "must map a class name to a list of words")
    for name, words in raw_classes.items():
        values = _strings(src, words, ("word_classes", name), required=True)
        classes[str(name)] = frozenset(w.lower().replace("’", "'") for w in values)
    terms = data.get("terms")
    if not isinstance(terms, list):
        raise src.error(("terms",), "is required: a list of terms")
    all_classes = set(known_classes) | set(classes)
    entries = [_entry(src, raw, ("terms", i), all_classes) for i, raw in enumerate(terms)]
    return entries, classes


def load_glossary(
    paths: Sequence[str | Path], disabled: Iterable[str] = (), cache_dir: Path | None = None
) -> Glossary:
    """Load and merge glossary files in order; a term id or form may be defined only once.

    `cache_dir` keeps each file's parsed data keyed by its content (see _Source).
    """
    entries: list[Entry] = []
    classes: dict[str, frozenset[str]] = {}
    owner_of_form: dict[str, str] = {}
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise GlossaryError(f"{path}: cannot read: {exc.strerror}") from None
        new_entries, new_classes = parse_glossary_text(text, str(path), classes, cache_dir)
        for name, words in new_classes.items():
            classes[name] = classes.get(name, frozenset()) | words
        for entry in new_entries:
            if any(e.id == entry.id for e in entries):
                raise GlossaryError(f"{path}: term id {entry.id!r} is defined twice")
            for form in (*entry.singular, *entry.plural):
                key = " ".join(form.lower().replace("-", " ").split())
                if key in owner_of_form:
                    raise GlossaryError(
                        f"{path}: the form {form!r} of {entry.id!r} already belongs to {owner_of_form[key]!r}"
                    )
                owner_of_form[key] = entry.id
            entries.append(entry)
    known = {e.id for e in entries}
    unknown = set(disabled) - known
    if unknown:
        raise GlossaryError(f"cannot switch off unknown glossary term(s): {', '.join(sorted(unknown))}")
    return Glossary(entries=entries, word_classes=classes, disabled=frozenset(disabled))
