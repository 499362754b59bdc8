"""The Voices of Sandwell glossary checker: professional terms found, young people's words suggested.

Pure: no Flask, no database. Text in, findings out. How it works, in order:

1. A single compiled pattern, built as a trie from every form of every term, finds candidate
   matches case-insensitively, whole words only, longest first ("LAC review" before "LAC").
2. Candidates inside URLs, email addresses, Slack mentions and links, code spans and
   `[keep]...[/keep]` passages are dropped.
3. For terms with context rules, the words either side of the candidate are tokenised (the
   pattern NLTK's RegexpTokenizer would be given, run by `re` directly so that checking wording
   never imports NLTK, half a second of every start) and the term's rules are applied in order;
   the first rule that fits
   decides (flag or skip), otherwise the term's default applies.
4. Suggestions take the case and number of the original ("Placements" -> "Homes").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Number = Literal["singular", "plural"]
Action = Literal["flag", "skip"]

# Words with inner apostrophes stay whole ("mum's", "don't"); every other symbol is a token.
TOKEN_PATTERN = r"\w+(?:['’]\w+)*|[^\w\s]"
# The flags NLTK's RegexpTokenizer uses; a test checks the spans are the same as its span_tokenize.
_TOKENS = re.compile(TOKEN_PATTERN, re.UNICODE | re.MULTILINE | re.DOTALL)

# Passages the checker never looks inside: code, Slack mentions and links, [keep]...[/keep].
_MARKED_REGIONS = re.compile(
    r"""
      ```.*?(?:```|\Z)                      # code block
    | `[^`\n]+`                             # code span
    | <(?:[@#!]|https?:|mailto:)[^>\n]*>    # Slack mention, channel, special or link
    | \[keep\].*?(?:\[/keep\]|\Z)           # passage marked as intentionally kept (unclosed: to the end)
    """,
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
# How far either side of a candidate to look for the rest of a URL or email address.
_CHUNK_REACH = 2048


def _inside_address(text: str, start: int, end: int) -> bool:
    """Tell whether the candidate is part of a URL or email address (the run of non-spaces around it)."""
    left = text[max(0, start - _CHUNK_REACH) : start]
    right = text[end : end + _CHUNK_REACH]
    chunk = (left.rsplit(None, 1)[-1] if left and not left[-1].isspace() else "") + (
        right.split(None, 1)[0] if right and not right[0].isspace() else ""
    )
    if not chunk:
        return False
    return "@" in chunk or "://" in chunk or "www." in chunk.lower()


SENTENCE_BREAKS = frozenset({".", "!", "?", ":", ";", "(", '"', "“", "•", "*", "-", "–"})
DAYS_AND_MONTHS = frozenset(
    {
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
    }
)
SMALL_WORDS = frozenset({"or", "and", "in", "of", "the", "a", "an", "to", "for", "with"})


class GlossaryError(ValueError):
    """A glossary data file is not usable; the message names the file, the line and the problem."""


def strip_keep_markers(text: str) -> str:
    """Remove [keep] markers before a message goes out; they are instructions to the checker only."""
    return re.sub(r"\[/?keep\]", "", text, flags=re.IGNORECASE)


# --- data model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    """A preferred wording, in its singular and plural forms."""

    singular: str
    plural: str
    proper: bool = False  # keeps its own capitals even in lower-case text ("Young People's Review")


@dataclass(frozen=True)
class PatternToken:
    """One position in a context phrase: a word, a word class, or a special marker."""

    kind: Literal["word", "class", "start", "name", "num"]
    value: str = ""
    optional: bool = False


@dataclass(frozen=True)
class ContextRule:
    """If the words before and/or after fit, the match is flagged or skipped (first rule wins)."""

    action: Action
    before: tuple[tuple[PatternToken, ...], ...] = ()
    after: tuple[tuple[PatternToken, ...], ...] = ()
    number: Number | None = None
    why: str = ""
    possessive: bool | None = None  # only for possessive forms (True) or only for the others (False)


@dataclass(frozen=True)
class Entry:
    """One glossary term with its forms, the preferred words and the rules for when it counts."""

    id: str
    label: str
    singular: tuple[str, ...]
    plural: tuple[str, ...]
    replacements: tuple[Replacement, ...]
    reason: str
    source: str
    acronym: bool = False
    keep: bool = False
    rules: tuple[ContextRule, ...] = ()
    default: Action = "flag"
    examples_flag: tuple[str, ...] = ()
    examples_keep: tuple[str, ...] = ()
    skip_in_text: tuple[str, ...] = ()  # the term is another thing in a text that says one of these


@dataclass(frozen=True)
class Finding:
    """A term found in the text: where, what, and what to write instead."""

    start: int
    end: int
    text: str
    term: str
    suggestions: tuple[str, ...]
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Give the JSON shape used by the CLI, the API and Slack."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "term": self.term,
            "suggestions": list(self.suggestions),
            "message": self.message,
        }


@dataclass(frozen=True)
class _Variant:
    entry: Entry
    number: Number
    possessive: bool


@dataclass
class Glossary:
    """The loaded terms, the word classes their rules use, and which terms are switched off."""

    entries: list[Entry]
    word_classes: dict[str, frozenset[str]] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()

    def entry(self, term_id: str) -> Entry:
        """Find a term by id."""
        for entry in self.entries:
            if entry.id == term_id:
                return entry
        raise KeyError(term_id)

    def checker(self) -> GlossaryChecker:
        """Compile this glossary into a checker (do it once; checkers are immutable and thread-safe)."""
        return GlossaryChecker(self)


# --- case and number ---------------------------------------------------------------------------


# Spaces and hyphens between the words of a term: "foster carer", "foster-carer", and the
# Unicode hyphens word processors put in ("foster‐carer", non-breaking "foster‑carer").
_JOINERS = "\\s\\-\u2010\u2011"


def _normalise(text: str) -> str:
    return re.sub(f"[{_JOINERS}]+", " ", text.replace("’", "'")).lower()


def _possessive(word: str, apostrophe: str) -> str:
    return f"{word}{apostrophe}" if word.endswith("s") else f"{word}{apostrophe}s"


def _case_style(original: str, entry: Entry) -> str:
    letters = [c for c in original if c.isalpha()]
    if entry.acronym:
        return "title"
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    if letters and letters[0].isupper():
        words = [w for w in re.split(r"[\s\-]+", original) if w]
        if len(words) > 1 and all(w[:1].isupper() for w in words):
            return "title_words"
        return "title"
    return "lower"


def _apply_case(replacement: str, style: str) -> str:
    if style == "upper":
        return replacement.upper()
    if style == "title":
        return replacement[:1].upper() + replacement[1:]
    if style == "title_words":
        words = replacement.split(" ")
        return " ".join(
            w if (i and w.lower() in SMALL_WORDS) else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    return replacement


def suggest(entry: Entry, original: str, number: Number, possessive: bool) -> tuple[str, ...]:
    """Write each replacement in the case, number and possessive form of the original."""
    style = _case_style(original, entry)
    apostrophe = "’" if "’" in original else "'"
    out = []
    for replacement in entry.replacements:
        word = replacement.plural if number == "plural" else replacement.singular
        if not replacement.proper and style == "lower":
            word = word.lower()
        word = _apply_case(word, style)
        if possessive:
            word = _possessive(word, apostrophe)
        out.append(word)
    return tuple(out)


# --- context rules -----------------------------------------------------------------------------


_BOUNDARY = "\x00"  # pseudo-token: start of the text or a blank line
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")

Token = tuple[str, str]  # (as written, lower case with straight apostrophes)


def context_tokens(
    text: str, start: int, end: int, reach_before: int, reach_after: int
) -> tuple[list[Token], list[Token]]:
    """Tokenise around text[start:end]; give the tokens before (nearest first) and after."""
    window_start = max(0, start - reach_before)
    window = text[window_start : end + reach_after]
    lowered = window.lower().replace("’", "'")
    if len(lowered) != len(window):  # a rare character whose lower case is longer
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in window).replace("’", "'")
    cut_before, cut_after = start - window_start, end - window_start
    before: list[Token] = [(_BOUNDARY, _BOUNDARY)] if window_start == 0 else []
    after: list[Token] = []
    previous_end = 0
    for token in _TOKENS.finditer(window):
        tok_start, tok_end = token.span()
        if "\n" in window[previous_end:tok_start] and _BLANK_LINE.search(window, previous_end, tok_start):
            (before if tok_end <= cut_before else after).append((_BOUNDARY, _BOUNDARY))
        previous_end = tok_end
        if tok_end <= cut_before:
            before.append((window[tok_start:tok_end], lowered[tok_start:tok_end]))
        elif tok_start >= cut_after:
            after.append((window[tok_start:tok_end], lowered[tok_start:tok_end]))
    before.reverse()
    return before, after


_Matcher = tuple[str, Any, bool]  # (kind, word or set of words, optional)


def _fits(kind: str, value: Any, token: Token) -> bool:
    text, lower = token
    if kind == "word":
        return lower == value
    if kind == "set":
        return lower in value or (lower.endswith("'s") and lower[:-2] in value)
    if kind == "start":
        return text == _BOUNDARY or text in SENTENCE_BREAKS
    if text == _BOUNDARY:
        return False
    if kind == "name":
        # Capitalised, but not shouting: in ALL CAPS text every word would look like a name.
        return text[:1].isupper() and not text.isupper() and lower not in DAYS_AND_MONTHS
    if kind == "num":
        return text[:1].isdigit() or text == "+"
    return False  # pragma: no cover - kinds are validated on load


def _sequence_fits(phrase: Sequence[_Matcher], tokens: Sequence[Token]) -> bool:
    """Match a phrase against tokens running away from the candidate (optional parts may be absent)."""
    if not phrase:
        return True
    kind, value, optional = phrase[0]
    if tokens and _fits(kind, value, tokens[0]) and _sequence_fits(phrase[1:], tokens[1:]):
        return True
    return optional and _sequence_fits(phrase[1:], tokens)


class _Side:
    """The phrases of one side of a rule, with one-word phrases in sets for a quick look-up."""

    def __init__(
        self, phrases: Iterable[tuple[PatternToken, ...]], classes: dict[str, frozenset[str]]
    ) -> None:
        words: set[str] = set()
        sets: list[frozenset[str]] = []
        longer: list[tuple[_Matcher, ...]] = []
        self.reach = 0
        for phrase in phrases:
            matchers = tuple(
                ("set", classes[t.value], t.optional) if t.kind == "class" else (t.kind, t.value, t.optional)
                for t in phrase
            )
            self.reach = max(self.reach, len(matchers))
            if len(matchers) == 1 and not matchers[0][2] and matchers[0][0] == "word":
                words.add(matchers[0][1])
            elif len(matchers) == 1 and not matchers[0][2] and matchers[0][0] == "set":
                sets.append(matchers[0][1])
            else:
                longer.append(matchers)
        self.words = frozenset(words)
        self.sets = tuple(sets)
        self.longer = tuple(longer)
        self.empty = not (words or sets or longer)

    def fits(self, tokens: Sequence[Token]) -> bool:
        """Tell whether any phrase of this side matches the tokens."""
        if tokens:
            first = tokens[0][1]
            if first in self.words:
                return True
            bare = first[:-2] if first.endswith("'s") else None
            for members in self.sets:
                if first in members or (bare is not None and bare in members):
                    return True
        return any(_sequence_fits(phrase, tokens) for phrase in self.longer)


@dataclass(frozen=True)
class _CompiledRule:
    rule: ContextRule
    before: _Side
    after: _Side


class _Mentions:
    """Whether a text mentions a phrase anywhere; the text is normalised once, and only if asked."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._normalised: str | None = None
        self._answers: dict[tuple[str, ...], bool] = {}  # a long text is searched once per term

    def any_of(self, phrases: Sequence[str]) -> bool:
        """Tell whether any of the (lower-case) phrases is in the text."""
        key = tuple(phrases)
        answer = self._answers.get(key)
        if answer is None:
            if self._normalised is None:
                self._normalised = _normalise(self._text)
            answer = self._answers[key] = any(phrase in self._normalised for phrase in phrases)
        return answer


# Characters of context to tokenise per token a rule looks at (words average ~6 with the space).
_CHARS_PER_TOKEN = 12


# --- the checker -------------------------------------------------------------------------------


def _trie_pattern(words: Iterable[str]) -> str:
    """Build a regex alternation as a trie so each position is tried once, longest match first."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        ends_here = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            if ch == " ":
                head = f"[{_JOINERS}]+"
            elif ch == "'":
                head = "['’]"
            else:
                head = re.escape(ch)
            branches.append(head + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends_here else body

    return emit(trie)


class GlossaryChecker:
    """Compiled glossary: `check` finds terms, `rewrite` applies the first suggestions."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._variants: dict[str, _Variant] = {}
        for entry in glossary.entries:
            if entry.id in glossary.disabled:
                continue
            for number, forms in (("singular", entry.singular), ("plural", entry.plural)):
                for form in forms:
                    base = _normalise(form)
                    self._variants[base] = _Variant(entry, number, False)  # type: ignore[arg-type]
                    possessive = _possessive(base, "'")
                    self._variants.setdefault(possessive, _Variant(entry, number, True))  # type: ignore[arg-type]
        self._rules: dict[str, tuple[tuple[_CompiledRule, ...], int, int]] = {}
        for entry in glossary.entries:
            compiled = tuple(
                _CompiledRule(
                    rule,
                    _Side(rule.before, glossary.word_classes),
                    _Side(rule.after, glossary.word_classes),
                )
                for rule in entry.rules
            )
            reach_before = max((r.before.reach for r in compiled), default=0) * _CHARS_PER_TOKEN
            reach_after = max((r.after.reach for r in compiled), default=0) * _CHARS_PER_TOKEN
            self._rules[entry.id] = (compiled, reach_before, reach_after)
        if self._variants:
            trie = _trie_pattern(self._variants)
            self._pattern: re.Pattern[str] | None = re.compile(rf"(?<!\w)(?:{trie})(?!\w)", re.IGNORECASE)
        else:
            self._pattern = None

    def check(self, text: str) -> list[Finding]:
        """Find every glossary term in `text`; offsets are character offsets, end exclusive."""
        if self._pattern is None or not text:
            return []
        findings: list[Finding] = []
        skip_starts: list[int] = []
        skip_ends: list[int] = []
        if "`" in text or "<" in text or "[keep]" in text.lower():
            for region in _MARKED_REGIONS.finditer(text):
                skip_starts.append(region.start())
                skip_ends.append(region.end())
        mentions = _Mentions(text)
        for match in self._pattern.finditer(text):
            start, end = match.span()
            if skip_starts:
                i = bisect_right(skip_starts, start) - 1
                if i >= 0 and start < skip_ends[i]:
                    continue
            if _inside_address(text, start, end):
                continue
            found = match.group()
            variant = self._variants.get(_normalise(found))
            if variant is None:  # pragma: no cover - the pattern is built from these keys
                continue
            entry = variant.entry
            if entry.keep:
                continue
            if entry.acronym and not self._acronym_case_ok(found, entry):
                continue
            if entry.skip_in_text and mentions.any_of(entry.skip_in_text):
                continue
            decision, number = self._decide(entry, text, start, end, variant.number, variant.possessive)
            if decision == "skip":
                continue
            suggestions = suggest(entry, found, number, variant.possessive)
            findings.append(
                Finding(
                    start=start,
                    end=end,
                    text=found,
                    term=entry.id,
                    suggestions=suggestions,
                    message=self._message(entry, found, suggestions),
                )
            )
        return findings

    def rewrite(self, text: str, findings: Sequence[Finding] | None = None) -> str:
        """Apply the first suggestion of each finding; everything else is left exactly as it was."""
        if findings is None:
            findings = self.check(text)
        out = []
        position = 0
        for finding in findings:
            if not finding.suggestions:
                continue
            out.append(text[position : finding.start])
            out.append(finding.suggestions[0])
            position = finding.end
        out.append(text[position:])
        return "".join(out)

    @staticmethod
    def _acronym_case_ok(found: str, entry: Entry) -> bool:
        # "CICs" is the plural of CIC; "CICS" is a different acronym. A trailing capital S
        # after the letters of an acronym form means it is not ours.
        stripped = found.rstrip("'’")
        if (
            stripped.endswith("S")
            and len(stripped) > 1
            and stripped[-2].isalpha()
            and stripped[:-1].isupper()
        ):
            return any(_normalise(f) == _normalise(stripped) and f.endswith("S") for f in entry.plural)
        return True

    def _decide(
        self, entry: Entry, text: str, start: int, end: int, number: Number, possessive: bool
    ) -> tuple[Action, Number]:
        if not entry.rules:
            return entry.default, number
        compiled, reach_before, reach_after = self._rules[entry.id]
        before, after = context_tokens(text, start, end, reach_before, reach_after)
        for rule in compiled:
            if rule.rule.possessive is not None and rule.rule.possessive != possessive:
                continue
            # `before` phrases are stored nearest word first, so both sides run away from the term.
            if not rule.before.empty and not rule.before.fits(before):
                continue
            if not rule.after.empty and not rule.after.fits(after):
                continue
            return rule.rule.action, rule.rule.number or number
        return entry.default, number

    @staticmethod
    def _message(entry: Entry, found: str, suggestions: Sequence[str]) -> str:
        options = " or ".join(f'"{s}"' for s in suggestions)
        return f'Young people chose {options} instead of "{found}". {entry.reason}'.strip()
