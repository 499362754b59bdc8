"""The chat's conversation engine: a pure state machine from (state, message) to (state, replies).

No Flask and no database. The state is a plain JSON-able dict the caller stores between turns.
Everything the bot says comes from intents/replies.yaml; the engine only chooses which line.

Flow for feedback: what kind -> what happened (or the idea) -> what it is about -> anonymous or
name and how to get back to them -> for something wrong: sort it out quickly or make a formal
complaint, and an advocate -> summary to send, change or cancel -> submitted (the caller saves
it and calls `submitted` with the reference). "help", "cancel", "start again" and "go back" work
at every step; after two failed tries at a step the bot stops asking and takes the young
person's own words for a person to read.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from feedbackbot.core import yamlfile
from feedbackbot.core.feelings import feeling_of

if TYPE_CHECKING:  # only for annotations: the engine itself needs neither numpy nor NLTK
    from feedbackbot.core.intents import Classification, IntentSet
    from feedbackbot.core.language_detection import LanguageReader
    from feedbackbot.core.understanding import RiskVerdict

MAX_TRIES = 2
OTHER_LANGUAGE_CONFIDENCE = 0.7  # how sure detection must be before a message skips the usual steps
RECENT_MESSAGES = 4  # what the young person typed last, read together with each new message
RECENT_CHARS = 600
QUICK_FEEDBACK_WORDS = 4  # a first message this long is taken as the feedback itself

_PHONE = re.compile(r"^(?:\+44\s?\(?0?\)?|0)\d(?:[\s-]?\d){8,9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
_PUNCTUATION = re.compile(r"[^\w\s']")


class ChatTextsError(ValueError):
    """The replies file is unusable."""


# --- what the engine says ----------------------------------------------------------------------


@dataclass(frozen=True)
class Button:
    """A quick reply: what the young person sees and the value sent back when pressed."""

    label: str
    value: str
    picture: str = ""  # an emoji shown on a big button in easy-read mode

    def to_dict(self) -> dict[str, str]:
        """JSON shape."""
        shape = {"label": self.label, "value": self.value}
        if self.picture:
            shape["picture"] = self.picture
        return shape


@dataclass(frozen=True)
class Reply:
    """One bot message, with quick-reply buttons when there is a choice to make."""

    text: str
    buttons: tuple[Button, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {"text": self.text, "buttons": [b.to_dict() for b in self.buttons]}


@dataclass(frozen=True)
class Submission:
    """What the young person asked us to send; the caller turns it into a feedback record."""

    kind: str  # compliment, idea, concern, complaint, question
    text: str
    topic: str | None
    topic_text: str | None
    anonymous: bool
    name: str | None
    contact_method: str | None
    contact_value: str | None
    advocate_requested: bool | None
    notes: dict[str, str] = field(default_factory=dict)
    writer: str | None = None  # self, parent, carer, advocate, other (asked for complaints and worries)
    safeguarding: bool = False
    thanked: str | None = None  # a compliment: who they would like to thank, if they chose to say


@dataclass(frozen=True)
class Disclosure:
    """A young person may be at risk: the caller raises a safeguarding alert at once."""

    source: str  # message, safe_word, button, not_safe_now, check_in
    categories: tuple[str, ...] = ()
    text: str = ""
    urgent: bool = False
    verdict: RiskVerdict | None = None  # how the message was read, when a message raised it


@dataclass(frozen=True)
class CheckIn:
    """The bot gently asked whether someone is hurting them: the caller records it."""

    text: str
    verdict: RiskVerdict


class Classifier(Protocol):
    """What the engine needs to read the kind of a message."""

    intent_set: IntentSet

    def classify(self, text: str) -> Classification:
        """The most likely intent and how sure the reading is."""
        ...


class RiskReader(Protocol):
    """What the engine needs to read a message (and the ones before it) for a disclosure."""

    def assess_risk(self, text: str, earlier: Sequence[str] = ()) -> RiskVerdict:
        """alert, check_in or none."""
        ...


@dataclass(frozen=True)
class Promise:
    """What happens next and by when, worked out by the caller from the procedure configuration."""

    date: date
    acknowledge_date: date | None = None
    extended_date: date | None = None
    advocate_date: date | None = None  # an advocate gets in touch by then, when one is wanted


@dataclass
class Turn:
    """The engine's answer to one message: the new state, what to say, and anything to act on."""

    state: dict[str, Any]
    replies: list[Reply]
    submission: Submission | None = None
    disclosure: Disclosure | None = None
    check_in: CheckIn | None = None
    check_in_answer: str | None = None  # yes, no, unclear or help: the answer to the last check-in


@dataclass(frozen=True)
class ChatTexts:
    """The lines, button labels, topics, commands and yes/no words from replies.yaml."""

    messages: dict[str, str]
    labels: dict[str, str]
    topics: tuple[tuple[str, str, tuple[str, ...]], ...]
    commands: dict[str, frozenset[str]]
    yes_words: frozenset[str]
    no_words: frozenset[str]
    statuses: dict[str, str] = field(default_factory=dict)
    dont_know_words: frozenset[str] = frozenset()
    feelings: dict[str, frozenset[str]] = field(default_factory=dict)  # sad: the emoji that mean it
    easy: dict[str, str] = field(default_factory=dict)  # easy-read lines, by message key
    pictures: dict[str, str] = field(default_factory=dict)  # label key: emoji, on easy-read buttons
    show_pictures: bool = False
    lang: str = "en"  # the language of the lines (dates are written in it)

    def easy_read(self) -> ChatTexts:
        """The same texts with the short easy-read lines and picture buttons."""
        return replace(self, messages={**self.messages, **self.easy}, show_pictures=True)

    def status_for(self, kind: str, status: str) -> str:
        """How a status is put for this kind ("passed on" for a compliment, not "sorted")."""
        return self.statuses.get(f"{kind}.{status}") or self.statuses.get(status, "")

    def say(self, key: str, **values: Any) -> str:
        """Give a line with its placeholders filled."""
        return self.messages[key].format(**values)

    def topic_label(self, topic_id: str | None) -> str:
        """The label of a topic id."""
        for tid, label, _ in self.topics:
            if tid == topic_id:
                return label
        return self.labels.get("kind_unsure", "")

    def all_lines(self) -> list[str]:
        """Every line and label the bot can show (for the glossary test)."""
        return [
            *self.messages.values(),
            *self.labels.values(),
            *(label for _, label, _ in self.topics),
            *self.statuses.values(),
        ]


REQUIRED_MESSAGES = {
    "welcome",
    "privacy",
    "ask_kind",
    "not_sure_kind",
    "free_text",
    "ask_good",
    "ask_idea",
    "ask_wrong",
    "ask_question",
    "ask_topic",
    "ask_identity",
    "ask_name",
    "ask_contact_method",
    "ask_phone",
    "ask_email",
    "ask_worker",
    "ask_route",
    "route_quick",
    "route_formal",
    "ask_writer",
    "ask_advocate",
    "ask_advocate_for_child",
    "ask_confirm",
    "saved",
    "help",
    "cancelled",
    "ci_ask",
    "ci_no",
    "ask_kind_after_disclosure",
    "next_safeguarding",
    "next_advocate",
    "next_advocate_by",
}


def load_chat_texts(path: str | Path) -> ChatTexts:
    """Read replies.yaml; every line the engine needs must be there."""
    try:
        data = yamlfile.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ChatTextsError(f"{path}: {exc}") from None
    messages = {k: " ".join(str(v).split()) for k, v in (data.get("messages") or {}).items()}
    missing = REQUIRED_MESSAGES - set(messages)
    if missing:
        raise ChatTextsError(f"{path}: messages missing: {', '.join(sorted(missing))}")
    topics = tuple(
        (str(t["id"]), str(t["label"]), tuple(str(w).lower() for w in t.get("words", [])))
        for t in data.get("topics") or []
    )
    commands = {k: frozenset(_plain(str(w)) for w in v) for k, v in (data.get("commands") or {}).items()}
    return ChatTexts(
        messages=messages,
        labels={k: str(v) for k, v in (data.get("labels") or {}).items()},
        topics=topics,
        commands=commands,
        yes_words=frozenset(_plain(str(w)) for w in data.get("yes_words") or []),
        no_words=frozenset(_plain(str(w)) for w in data.get("no_words") or []),
        statuses={k: " ".join(str(v).split()) for k, v in (data.get("statuses") or {}).items()},
        dont_know_words=frozenset(_plain(str(w)) for w in data.get("dont_know_words") or []),
        feelings={k: frozenset(str(e) for e in v) for k, v in (data.get("feelings") or {}).items()},
        easy={k: " ".join(str(v).split()) for k, v in (data.get("easy") or {}).items()},
        pictures={k: str(v) for k, v in (data.get("pictures") or {}).items()},
    )


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _plain(text: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", text.lower().replace("’", "'")).split())


def _remember(state: dict[str, Any], text: str) -> None:
    """Keep the last few things the young person typed, read together with the next one."""
    recent = [*state.get("recent", []), text[:RECENT_CHARS]]
    state["recent"] = recent[-RECENT_MESSAGES:]


# How a date reads inside a sentence, per language (CLDR patterns; Polish "do 4 grudnia" needs the
# genitive month without the weekday, which Babel gives for "d MMMM").
DATE_PATTERNS = {
    "pl": ("d MMMM", "d MMMM y"),
    "pa": ("EEEE, d MMMM", "EEEE, d MMMM y"),
    "ur": ("EEEE، d MMMM", "EEEE، d MMMM y"),
}


def format_date(day: date, today: date | None = None, lang: str = "en") -> str:
    """Write a date the way people say it: "Friday 4 December" (with the year if not this year)."""
    with_year = today is None or day.year != today.year
    if lang in DATE_PATTERNS:
        from babel.dates import format_date as babel_format_date

        return babel_format_date(day, DATE_PATTERNS[lang][1 if with_year else 0], locale=lang)
    text = f"{day:%A} {day.day} {day:%B}"
    if with_year:
        text += f" {day.year}"
    return text


# --- the engine --------------------------------------------------------------------------------

KIND_CHOICES = {"good": "compliment", "idea": "idea", "wrong": "wrong", "question": "question"}
ASK_DETAILS = {"compliment": "ask_good", "idea": "ask_idea", "wrong": "ask_wrong", "question": "ask_question"}
FREE_TEXT_STEPS = {
    "menu",
    "topic",
    "identity",
    "contact_method",
    "contact_value",
    "route",
    "writer",
    "advocate",
}
# The steps of telling us something, where Go back and Cancel are always offered.
NAV_STEPS = FREE_TEXT_STEPS - {"menu"} | {
    "details",
    "name",
    "confirm",
    "change",
    "question_unknown",
    "question_followup",
}
# Who may be writing a complaint or worry (the young person, or someone on their behalf).
WRITERS = ("self", "parent", "carer", "advocate", "other")
_WRITER_WORDS = (
    ("advocate", re.compile(r"\badvocate\b")),
    ("carer", re.compile(r"\b(carer|foster|key ?worker)")),
    ("parent", re.compile(r"\b(mum|mom|dad|parent|mother|father|nan|gran|grand|step)")),
    ("self", re.compile(r"^(me|myself|i am|im|i'm|its me|it's me|the young person)\b")),
)


KEPT_ON_RESTART = ("lang", "easy")


def new_state() -> dict[str, Any]:
    """A conversation before anything is said."""
    return {"step": "menu", "data": {}, "history": [], "tries": 0, "free_text": False, "returning": False}


class ConversationEngine:
    """Decides what the bot says next. Stateless itself: all state travels in the dict."""

    def __init__(
        self,
        texts: ChatTexts,
        classifier: Classifier,
        *,
        ask_below: float = 0.6,
        concern_days: int = 10,
        today: Callable[[], date] = date.today,
        risk: RiskReader | None = None,
        safe_word: str = "help me",
        duty_phone: str | None = None,
        out_of_hours_phone: str | None = None,
        timescales: dict[str, int] | None = None,
        languages: LanguageReader | None = None,
    ) -> None:
        self.texts = texts
        self.languages = languages  # other languages: detection and their safety words
        # Working days from the procedures file, named in answers as {complaint_respond} etc.
        self.timescales = dict(timescales or {})
        self.classifier = classifier
        self.concern_days = concern_days
        self.today = today
        self.risk = risk
        self.safe_word = _plain(safe_word) if safe_word else ""
        self.safe_word_shown = " ".join(safe_word.split()) if safe_word else ""
        self.duty_phone = duty_phone
        self.out_of_hours_phone = out_of_hours_phone
        self.min_confidence = ask_below

    # --- public API ----------------------------------------------------------------------------

    def start(self, easy: bool = False) -> Turn:
        """Open a conversation: hello, what happens to what they write, and the first question."""
        state = new_state()
        if easy:
            state["easy"] = True
        welcome = " ".join(w for w in (self.texts.say("welcome"), self._safe_word_tip()) if w)
        replies = [Reply(welcome), Reply(self.texts.say("privacy")), *self._prompt(state)]
        return Turn(state, replies)

    def _safe_word_tip(self) -> str:
        """The safe word, told to the young person in the first message and in help."""
        if not self.safe_word_shown:
            return ""
        return self.texts.say("safe_word_tip", safe_word=self.safe_word_shown)

    def handle(self, state: dict[str, Any], text: str | None = None, choice: str | None = None) -> Turn:
        """Take one message or button press and give the bot's answer."""
        state = copy.deepcopy(state)
        text = (text or "").strip()
        # Safeguarding comes before anything else, at every step.
        if choice == "nav:help_now":
            return self._safeguard(state, Disclosure("button"))
        if text and self.safe_word and _plain(text) == self.safe_word:
            return self._safeguard(state, Disclosure("safe_word", text=text))
        if text and self.risk is not None:
            earlier = [] if state["step"] == "check_in" else state.get("recent", [])
            verdict = self.risk.assess_risk(text, earlier)
            raised = state.get("safeguarding", {}).get("raised")
            if state["step"] == "check_in" and (verdict.alert or verdict.check_in):
                # The answer to our question is itself worrying: a yes, with both messages passed on.
                asked = state.get("check_in", {})
                words = " / ".join(w for w in (asked.get("pending"), text) if w)
                categories = verdict.categories or tuple(asked.get("categories") or ())
                turn = self._safeguard(state, Disclosure("check_in", categories, words, verdict=verdict))
                turn.check_in_answer = "yes"
                return turn
            if verdict.alert or (verdict.check_in and raised):
                # After an alert, or while we are asking, a worrying message is passed on at once.
                disclosure = Disclosure("message", verdict.categories, text, verdict=verdict)
                return self._safeguard(state, disclosure, pending=text)
            if verdict.check_in:
                return self._check_in(state, CheckIn(text, verdict))
            _remember(state, text)
        if text and self.languages is not None:
            turn = self._other_language(state, text)
            if turn is not None:
                return turn
        return self._dispatch(state, text, choice)

    def _other_language(self, state: dict[str, Any], text: str) -> Turn | None:
        """A message in another language: its safety words raise an alert; else a person reads it."""
        reader: LanguageReader = self.languages  # type: ignore[assignment]
        detected = reader.detect(text)
        if not detected.other:
            return None
        other = reader.language(detected.lang)
        hits = reader.safety_hits(text, detected.lang)
        if hits:
            turn = self._safeguard(state, Disclosure("message", hits, text))
            if other is not None and detected.lang != state.get("lang", "en"):
                turn.replies.insert(0, Reply(other.help))
            return turn
        if detected.lang == state.get("lang", "en") or detected.confidence < OTHER_LANGUAGE_CONFIDENCE:
            return None  # the chat speaks it (or we are not sure): carry on as usual
        if state["step"] not in {"menu", "details"} and not state.get("free_text"):
            return None
        data = state["data"]
        if state["step"] == "menu" or not data.get("kind"):
            data["kind"] = "unsure"
        data["text"] = text
        name = other.name if other else detected.lang
        data.setdefault("notes", {})["language"] = f"{name} ({detected.lang}): have it read and translated"
        state["other_language"] = detected.lang
        state["step"] = "submitting"
        return Turn(state, [], submission=self._submission(state))

    def _dispatch(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        """Everything after the safeguarding check: escape words, then the current step."""
        if state["step"] == "check_in":  # every answer counts, even "cancel": unclear raises the alert
            return self._on_check_in(state, text, choice)
        if choice and choice.startswith("nav:"):
            return self._navigate(state, choice[4:])
        if text and not choice:
            command = self._command(text)
            if command:
                return self._navigate(state, command)
        if state["step"] in {"done", "cancelled", "ended"}:
            return self._after_end(state, text, choice)
        handler = getattr(self, f"_on_{state['step']}")
        if state.get("free_text") and state["step"] in FREE_TEXT_STEPS and text:
            return self._take_free_text(state, text)
        return handler(state, text, choice)

    def submitted(self, state: dict[str, Any], reference: str, code: str, promise: Promise) -> Turn:
        """Tell the young person it is saved, their reference and code, and what happens next."""
        state = copy.deepcopy(state)
        data = state["data"]
        today = self.today()
        kind = self._final_kind(data)
        replies = [Reply(self.texts.say("saved", reference=reference, code=code))]
        other = (
            self.languages.language(state["other_language"])
            if self.languages and state.get("other_language")
            else None
        )
        if other is not None:  # told first in their own language, then in the chat's
            replies[:0] = [
                Reply(other.received),
                Reply(self.texts.say("other_language_received", language=other.name)),
            ]
        values = {
            "date": format_date(promise.date, today, self.texts.lang),
            "acknowledge_date": format_date(promise.acknowledge_date, today, self.texts.lang)
            if promise.acknowledge_date
            else "",
            "extended_date": format_date(promise.extended_date, today, self.texts.lang)
            if promise.extended_date
            else "",
        }
        raised = bool(state.get("safeguarding", {}).get("raised"))
        # Something that holds a disclosure is never thanked for or treated as ordinary feedback.
        replies.append(Reply(self.texts.say("next_safeguarding" if raised else f"next_{kind}", **values)))
        if data.get("advocate"):
            if promise.advocate_date:
                when = format_date(promise.advocate_date, today, self.texts.lang)
                replies.append(Reply(self.texts.say("next_advocate_by", date=when)))
            else:
                replies.append(Reply(self.texts.say("next_advocate")))
        replies.append(Reply(self.texts.say("come_back"), (self._button("start_again", "nav:start_again"),)))
        state.update(step="done", reference=reference, tries=0, free_text=False)
        return Turn(state, replies)

    # --- safeguarding --------------------------------------------------------------------------

    def _safeguard(self, state: dict[str, Any], disclosure: Disclosure, pending: str | None = None) -> Turn:
        """Say at once, kindly, that a person is being told and how to get help right now."""
        say = self.texts.say
        answer = None
        if state["step"] == "check_in":  # we had asked; this answers it
            asked = state.pop("check_in", {})
            state["step"] = asked.get("resume") or "menu"
            pending = asked.get("pending") if disclosure.source == "check_in" else pending
            answer = "yes" if disclosure.source == "check_in" else "help"
        state["recent"] = []  # what led here is with the people on duty; read afresh from now
        already = state["step"] in {"safety_check", "carry_on"}
        guard = state.setdefault("safeguarding", {})
        guard["raised"] = True
        if not already:
            guard["resume"] = state["step"] if state["step"] not in {"done", "cancelled", "ended"} else "menu"
            guard["pending"] = pending if state["step"] not in {"done", "cancelled", "ended"} else None
        replies = [Reply(say("sg_told_again"))] if already else [Reply(say("sg_glad")), Reply(say("sg_told"))]
        replies += self._help_lines()
        replies.append(Reply(say("sg_ask_safe"), self._safety_buttons()))
        state.update(step="safety_check", tries=0, free_text=False)
        return Turn(state, replies, disclosure=disclosure, check_in_answer=answer)

    # --- checking in ---------------------------------------------------------------------------

    def _check_in(self, state: dict[str, Any], check_in: CheckIn) -> Turn:
        """Gently ask whether someone is hurting them or they are not safe; never assume."""
        state["check_in"] = {
            "resume": state["step"],
            "pending": check_in.text,
            "categories": list(check_in.verdict.categories),
        }
        state.update(step="check_in", tries=0, free_text=False)
        return Turn(state, self._prompt(state), check_in=check_in)

    def _on_check_in(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        """Yes, or an answer we can't be sure of, raises the alert; no carries on with what they said."""
        asked = state.get("check_in", {})
        answer = self._yes_no(text, choice, yes="check_in:yes", no="check_in:no")
        if answer is not True and not choice and text:
            plain = _plain(text)
            if plain in {
                "no",
                "nope",
                "nah",
                "no im ok",
                "no i'm ok",
                "im ok",
                "i'm ok",
                "im fine",
                "i'm fine",
            }:
                answer = False
        if answer is False:
            state.pop("check_in", None)
            state["recent"] = []
            state.update(step=asked.get("resume") or "menu", tries=0, free_text=False)
            before = [Reply(self.texts.say("ci_no"))]
            pending = asked.get("pending")
            turn = self._dispatch(state, pending, None) if pending else Turn(state, self._prompt(state))
            return Turn(turn.state, before + turn.replies, submission=turn.submission, check_in_answer="no")
        categories = tuple(asked.get("categories") or ())
        disclosure = Disclosure("check_in", categories, asked.get("pending") or "")
        turn = self._safeguard(state, disclosure)
        turn.check_in_answer = "yes" if answer else "unclear"
        return turn

    def _help_lines(self) -> list[Reply]:
        say = self.texts.say
        lines = [Reply(say("sg_999")), Reply(say("sg_childline"))]
        if self.duty_phone:
            lines.append(Reply(say("sg_duty", duty_phone=self.duty_phone)))
        if self.out_of_hours_phone:
            lines.append(Reply(say("sg_out_of_hours", out_of_hours_phone=self.out_of_hours_phone)))
        return lines

    def _safety_buttons(self) -> tuple[Button, ...]:
        return (self._button("sg_safe", "safety:safe"), self._button("sg_not_safe", "safety:not_safe"))

    def _carry_on_reply(self) -> Reply:
        return Reply(
            self.texts.say("sg_carry_on"),
            (self._button("carry_on", "safety:carry_on"), self._button("stop_for_now", "safety:stop")),
        )

    def _on_safety_check(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        plain = _plain(text)
        if choice == "safety:not_safe" or (
            not choice and ("not safe" in plain or plain in self.texts.no_words)
        ):
            state.update(step="carry_on", tries=0)
            disclosure = Disclosure("not_safe_now", ("danger",), text, urgent=True)
            return Turn(
                state, [Reply(self.texts.say("sg_not_safe")), self._carry_on_reply()], disclosure=disclosure
            )
        if choice == "safety:safe" or (
            not choice and (plain in self.texts.yes_words or "safe" in plain or "ok" in plain)
        ):
            state.update(step="carry_on", tries=0)
            return Turn(state, [Reply(self.texts.say("sg_safe")), self._carry_on_reply()])
        # Never ask them to prove it, never end abruptly: after one unclear answer, move on gently.
        state.update(step="carry_on", tries=0)
        return Turn(state, [Reply(self.texts.say("sg_unclear")), self._carry_on_reply()])

    def _on_carry_on(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        guard = state.get("safeguarding", {})
        answer = self._yes_no(text, choice, yes="safety:carry_on", no="safety:stop")
        if answer is False:
            state.update(step="ended", tries=0)
            return Turn(
                state,
                [Reply(self.texts.say("sg_stop_for_now"), (self._button("start_again", "nav:start_again"),))],
            )
        if answer is None and not text:
            return Turn(state, [self._carry_on_reply()])
        state.update(step=guard.get("resume") or "menu", tries=0, free_text=False)
        pending = guard.pop("pending", None)
        before = [Reply(self.texts.say("sg_carried_on"))]
        data = state["data"]
        if pending and state["step"] in {"menu", "details"} and data.get("kind") not in {"wrong", "question"}:
            # What they told us is never guessed into a kind (a disclosure is not a compliment):
            # keep their words and ask, with buttons, what kind of thing they want us to deal with.
            data.pop("kind", None)
            data["text"] = pending
            state["step"] = "menu"
            return Turn(
                state, [*before, Reply(self.texts.say("ask_kind_after_disclosure"), self._kind_buttons())]
            )
        if answer is None:  # they just carried on talking: take it as the answer to the step
            pending = text
        if pending:
            turn = self._dispatch(state, pending, None)
            return Turn(turn.state, before + turn.replies, submission=turn.submission)
        return Turn(state, before + self._prompt(state))

    # --- navigation ----------------------------------------------------------------------------

    def _command(self, text: str) -> str | None:
        plain = _plain(text)
        for command, phrases in self.texts.commands.items():
            if plain in phrases:
                return command
        return None

    def _navigate(self, state: dict[str, Any], command: str) -> Turn:
        if command == "help":
            lines = " ".join(w for w in (self.texts.say("help"), self._safe_word_tip()) if w)
            return Turn(state, [Reply(lines), *self._prompt(state)])
        if command == "cancel":
            fresh = self._fresh(state)
            fresh["step"] = "cancelled"
            key = "cancelled_after_alert" if fresh.get("safeguarding") else "cancelled"
            return Turn(
                fresh, [Reply(self.texts.say(key), (self._button("start_again", "nav:start_again"),))]
            )
        if command == "start_again":
            fresh = self._fresh(state)
            return Turn(fresh, [Reply(self.texts.say("start_again")), *self._prompt(fresh)])
        if command == "go_back":
            if state["step"] in {"done", "cancelled", "ended"} or not state["history"]:
                return Turn(state, self._prompt(state))
            state["step"] = state["history"].pop()
            state.update(tries=0, free_text=False)
            return Turn(state, [Reply(self.texts.say("gone_back")), *self._prompt(state)])
        return Turn(state, self._prompt(state))

    @staticmethod
    def _fresh(state: dict[str, Any]) -> dict[str, Any]:
        """A new start that still remembers a safeguarding alert in this conversation."""
        fresh = new_state()
        for key in KEPT_ON_RESTART:  # the language and reading mode they chose stay
            if key in state:
                fresh[key] = state[key]
        if state.get("safeguarding", {}).get("raised"):
            fresh["safeguarding"] = {"raised": True}
        return fresh

    def _go(self, state: dict[str, Any], step: str, before: list[Reply] | None = None) -> Turn:
        """Move to a step (or back to the summary when changing something) and ask its question."""
        if state.get("returning") and step not in {"name", "contact_method", "contact_value"}:
            step = "confirm"
        if step == "confirm":
            state["returning"] = False
        state["history"].append(state["step"])
        state.update(step=step, tries=0, free_text=False)
        return Turn(state, [*(before or []), *self._prompt(state)])

    def _fail(self, state: dict[str, Any], sorry_key: str) -> Turn:
        """Count a try that was not understood; after two, let them write it in their own words."""
        state["tries"] += 1
        if state["tries"] >= MAX_TRIES and state["step"] in FREE_TEXT_STEPS:
            state["free_text"] = True
            buttons = self._kind_buttons() if state["step"] == "menu" else self._nav_buttons(state)
            return Turn(state, [Reply(self.texts.say("free_text"), buttons)])
        return Turn(state, [Reply(self.texts.say(sorry_key)), *self._prompt(state, repeat=True)])

    def _take_free_text(self, state: dict[str, Any], text: str) -> Turn:
        """Store what they wrote for a person to read and carry on from the next step."""
        step = state["step"]
        data = state["data"]
        if _plain(text) in self.texts.dont_know_words or not _plain(text):
            # "idk" or only emoji is not something to send: ask again, kindly, with the choices.
            return Turn(state, [Reply(self.texts.say("dont_know")), *self._prompt(state, repeat=True)])
        data.setdefault("notes", {})[step] = text
        if step == "menu":
            data.update(kind="unsure", text=text)
            return self._go(state, "topic")
        if step == "topic":
            data.update(topic="other", topic_text=text)
            return self._go(state, "identity")
        if step in {"identity", "contact_method", "contact_value"}:
            data["anonymous"] = False
            return self._go(state, self._after_identity(data))
        if step == "route":
            data["route"] = "unsure"
            return self._go(state, self._after_route(data))
        if step == "writer":
            data["writer"] = "other"
            return self._go(state, "advocate")
        data["advocate"] = None  # a person will read what they wrote about it
        return self._go(state, "confirm")

    # --- steps ---------------------------------------------------------------------------------

    def _on_menu(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        data = state["data"]
        if choice:
            kind = KIND_CHOICES.get(choice.removeprefix("kind:"))
            if not kind:
                return Turn(state, self._prompt(state, repeat=True))
            data["kind"] = kind
            if data.get("text") and kind != "question":  # their words are already with us
                state["history"].append("menu")
                state["step"] = "details"
                return self._go(state, "topic", [Reply(self.texts.say("thanks_for_telling"))])
            data.pop("text", None)
            return self._go(state, "details")
        if not text:
            return self._fail(state, "not_sure_kind")
        feeling = feeling_of(text, self.texts.feelings)
        if feeling:
            # Faces say how someone feels: answer the feeling kindly and ask what it is about.
            data.setdefault("notes", {})["feeling"] = text[:50]
            buttons = self._kind_buttons()
            return Turn(state, [Reply(self.texts.say(f"feeling_{feeling}"), buttons)])
        guess = self.classifier.classify(text)
        confident = guess.confident(self.min_confidence)
        if state.get("safeguarding", {}).get("raised") and not (
            confident and guess.kind in {"question", "other"}
        ):
            # After a disclosure the kind of what they write is asked, never guessed.
            data["text"] = text
            return Turn(state, [Reply(self.texts.say("ask_kind_after_disclosure"), self._kind_buttons())])
        if confident and guess.intent == "greeting":
            return Turn(state, [Reply(self.texts.say("greeting")), *self._prompt(state, repeat=True)])
        if confident and guess.intent == "thanks":
            return Turn(state, [Reply(self.texts.say("thanks")), *self._prompt(state, repeat=True)])
        if confident and guess.intent == "goodbye":
            state["step"] = "ended"
            return Turn(
                state, [Reply(self.texts.say("goodbye"), (self._button("start_again", "nav:start_again"),))]
            )
        if confident and guess.intent == "help":
            return self._navigate(state, "help")
        if confident and guess.intent == "writing-for-someone":
            # Who is writing, in their words, goes with whatever they send (staff read it).
            data.setdefault("notes", {})["writer"] = text[:200]
            writer = self._writer_from_text(text)
            data["writer"] = writer if writer in WRITERS and writer != "self" else "other"
            return Turn(
                state, [Reply(self.texts.say("writing_for_someone")), *self._prompt(state, repeat=True)]
            )
        if confident and guess.intent == "out-of-scope":
            return Turn(state, [Reply(self.texts.say("out_of_scope")), *self._prompt(state, repeat=True)])
        if confident and guess.kind == "question":
            answer = self.classifier.intent_set.intent(guess.intent).answer or ""
            data.update(kind="question", text=text)
            return self._answered(state, answer)
        if confident and guess.kind in {"compliment", "idea", "concern", "complaint"}:
            data["kind"] = "wrong" if guess.kind in {"concern", "complaint"} else guess.kind
            data["kind_hint"] = guess.kind
            if len(text.split()) >= QUICK_FEEDBACK_WORDS:
                data["text"] = text
                state["history"].append("menu")
                state.update(step="details")
                return self._go(state, "topic", [Reply(self.texts.say("thanks_for_telling"))])
            return self._go(state, "details")
        return self._fail(state, "not_sure_kind")

    def _on_details(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        data = state["data"]
        if choice or not text:
            return self._fail(state, "empty_answer")
        data["text"] = text
        if data.get("kind") == "question":
            guess = self.classifier.classify(text)
            if guess.kind == "question" and guess.confident(self.min_confidence):
                answer = self.classifier.intent_set.intent(guess.intent).answer or ""
                return self._answered(state, answer)
            return self._go(state, "question_unknown")
        return self._go(state, "topic", [Reply(self.texts.say("thanks_for_telling"))])

    def _answered(self, state: dict[str, Any], answer: str) -> Turn:
        answer = _PLACEHOLDER.sub(
            lambda m: str(self.timescales.get(m.group(1), m.group(0))), answer
        )  # the timescales come from configuration, never from the answer's text
        state["history"].append(state["step"])
        state.update(step="question_followup", tries=0, free_text=False)
        return Turn(state, [Reply(answer), *self._prompt(state)])

    def _on_question_followup(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        answer = self._yes_no(text, choice, yes="question:person", no="question:helped")
        if answer is None:
            return self._fail(state, "not_sure_kind")
        if answer:
            return self._go(state, "identity")
        return self._back_to_menu(state, [Reply(self.texts.say("thanks"))])

    def _on_question_unknown(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        answer = self._yes_no(text, choice, yes="question:send", no="question:no")
        if answer is None:
            return self._fail(state, "not_sure_kind")
        if answer:
            return self._go(state, "identity")
        return self._back_to_menu(state, [])

    def _back_to_menu(self, state: dict[str, Any], before: list[Reply]) -> Turn:
        """A question dealt with: forget it and offer the first choices again."""
        state["data"] = {}
        state["history"] = []
        state.update(step="menu", tries=0)
        return Turn(state, [*before, Reply(self.texts.say("anything_else"), self._kind_buttons())])

    def _on_topic(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        data = state["data"]
        topic = choice.removeprefix("topic:") if choice else self._topic_from_text(text)
        if topic not in {t[0] for t in self.texts.topics}:
            return self._fail(state, "not_sure_topic")
        data["topic"] = topic
        return self._go(state, "identity")

    def _on_identity(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        data = state["data"]
        if choice in {"identity:anonymous", "identity:name"}:
            anonymous = choice == "identity:anonymous"
        else:
            answer = self._yes_no(text, None, yes="", no="")
            if answer is None and re.search(r"\banon", text.lower()):
                answer = False
            if answer is None:
                return self._fail(state, "not_sure_kind")
            anonymous = not answer
        if anonymous:
            data.update(anonymous=True, name=None, contact_method=None, contact_value=None)
            return self._go(state, self._after_identity(data), [Reply(self.texts.say("anonymous_ok"))])
        data["anonymous"] = False
        return self._go(state, "name")

    def _on_name(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        if choice or not text:
            return self._fail(state, "empty_answer")
        name = re.sub(r"^(my name is|my name's|i'm|im|i am|it's|its)\s+", "", text.strip(), flags=re.I)
        state["data"]["name"] = name[:100]
        return self._go(state, "contact_method")

    def _on_contact_method(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        data = state["data"]
        method = choice.removeprefix("contact:") if choice else self._contact_from_text(text)
        if method in {"phone", "email"} and not choice and self._valid_contact(method, text):
            data.update(contact_method=method, contact_value=text.strip())
            return self._go(state, self._after_identity(data))
        if method == "none":
            data.update(contact_method=None, contact_value=None)
            return self._go(state, self._after_identity(data), [Reply(self.texts.say("no_contact_ok"))])
        if method not in {"phone", "email", "worker"}:
            return self._fail(state, "not_sure_kind")
        data["contact_method"] = method
        return self._go(state, "contact_value")

    def _on_contact_value(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        data = state["data"]
        method = data.get("contact_method")
        if choice or not text:
            return self._fail(state, "empty_answer")
        if method in {"phone", "email"} and not self._valid_contact(method, text):
            return self._fail(state, f"bad_{method}")
        data["contact_value"] = text.strip()[:200]
        return self._go(state, self._after_identity(data))

    def _on_route(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        route = choice.removeprefix("route:") if choice else self._route_from_text(text)
        if route not in {"quick", "formal"}:
            return self._fail(state, "not_sure_kind")
        state["data"]["route"] = route
        return self._go(state, self._after_route(state["data"]))

    @staticmethod
    def _after_route(data: dict[str, Any]) -> str:
        """Ask who is writing, unless they told us ("I'm writing for my grandson")."""
        writer = data.get("writer")
        if writer not in WRITERS:
            return "writer"
        if writer == "advocate":  # they are the child's advocate already
            data["advocate"] = None
            return "confirm"
        return "advocate"

    def _on_writer(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        """Who is writing: an advocate is offered to the child, never to the adult writing for them."""
        data = state["data"]
        writer = choice.removeprefix("writer:") if choice else self._writer_from_text(text)
        if writer not in WRITERS:
            return self._fail(state, "not_sure_kind")
        data["writer"] = writer
        if writer == "advocate":  # they are the child's advocate already
            data["advocate"] = None
            return self._go(state, "confirm")
        return self._go(state, "advocate")

    @staticmethod
    def _writer_from_text(text: str) -> str | None:
        plain = _plain(text)
        for writer, pattern in _WRITER_WORDS:
            if pattern.search(plain):
                return writer
        return None

    def _on_advocate(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        answer = self._yes_no(text, choice, yes="advocate:yes", no="advocate:no")
        if answer is None:
            return self._fail(state, "not_sure_kind")
        state["data"]["advocate"] = answer
        return self._go(state, "confirm")

    def _on_confirm(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        if choice == "confirm:change":
            return self._go(state, "change")
        if choice == "confirm:thanks" and state["data"].get("kind") == "compliment":
            return self._go(state, "thanks")  # an optional extra: back to the summary after
        if choice == "confirm:send" or (not choice and _plain(text) in self.texts.yes_words):
            state["step"] = "submitting"
            return Turn(state, [], submission=self._submission(state))
        state["tries"] += 1
        return Turn(state, self._prompt(state, repeat=True))

    def _on_thanks(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        """Who they would like to thank for a compliment (optional; a person passes it on)."""
        if choice or not text.strip():
            return self._fail(state, "empty_answer")
        state["data"]["thanked"] = " ".join(text.split())[:200]
        return self._go(state, "confirm")

    def _on_change(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        target = {
            "change:text": "details",
            "change:topic": "topic",
            "change:identity": "identity",
            "change:route": "route",
            "change:advocate": "advocate",
            "change:writer": "writer",
        }.get(choice or "")
        if not target:
            return Turn(state, self._prompt(state, repeat=True))
        state["returning"] = True
        state["history"].append(state["step"])
        state.update(step=target, tries=0, free_text=False)
        return Turn(state, self._prompt(state))

    def _on_submitting(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        # A second press of "Send it" while the first is being saved: send again, never twice.
        return Turn(state, [], submission=self._submission(state))

    def _after_end(self, state: dict[str, Any], text: str, choice: str | None) -> Turn:
        if state["step"] == "done":
            return Turn(
                state,
                [Reply(self.texts.say("after_saved"), (self._button("start_again", "nav:start_again"),))],
            )
        fresh = self._fresh(state)
        return self._on_menu(fresh, text, choice) if (text or choice) else Turn(fresh, self._prompt(fresh))

    # --- what each step asks -------------------------------------------------------------------

    def _prompt(self, state: dict[str, Any], repeat: bool = False) -> list[Reply]:
        """What a step asks, with Go back and Cancel on the last line wherever there is a way out."""
        replies = self._step_prompt(state, repeat)
        nav = self._nav_buttons(state)
        if replies and nav:
            last = replies[-1]
            have = {b.value for b in last.buttons}
            extra = tuple(b for b in nav if b.value not in have)
            replies[-1] = Reply(last.text, last.buttons + extra)
        return replies

    def _nav_buttons(self, state: dict[str, Any]) -> tuple[Button, ...]:
        """Go back (when there is somewhere to go back to) and Cancel, on every feedback step."""
        if state["step"] not in NAV_STEPS:
            return ()
        back = (self._button("go_back", "nav:go_back"),) if state["history"] else ()
        return (*back, self._button("cancel", "nav:cancel"))

    def _step_prompt(self, state: dict[str, Any], repeat: bool = False) -> list[Reply]:
        step = state["step"]
        data = state["data"]
        say = self.texts.say
        back = ()  # Go back and Cancel are added by _prompt
        if step == "menu":
            return [Reply(say("ask_kind"), self._kind_buttons())]
        if step == "details":
            return [Reply(say(ASK_DETAILS.get(data.get("kind", "wrong"), "ask_wrong")), back)]
        if step == "topic":
            pictures = self.texts.pictures if self.texts.show_pictures else {}
            buttons = tuple(
                Button(label, f"topic:{tid}", pictures.get(f"topic_{tid}", ""))
                for tid, label, _ in self.texts.topics
            )
            return [Reply(say("ask_topic"), buttons + back)]
        if step == "identity":
            return [
                Reply(
                    say("ask_identity"),
                    (
                        self._button("anonymous", "identity:anonymous"),
                        self._button("give_name", "identity:name"),
                        *back,
                    ),
                )
            ]
        if step == "name":
            return [Reply(say("ask_name"), back)]
        if step == "contact_method":
            return [
                Reply(
                    say("ask_contact_method"),
                    (
                        self._button("by_phone", "contact:phone"),
                        self._button("by_email", "contact:email"),
                        self._button("by_worker", "contact:worker"),
                        self._button("no_contact", "contact:none"),
                        *back,
                    ),
                )
            ]
        if step == "contact_value":
            key = {"phone": "ask_phone", "email": "ask_email"}.get(data.get("contact_method"), "ask_worker")
            return [Reply(say(key), back)]
        if step == "route":
            return [
                Reply(say("ask_route")),
                Reply(say("route_quick", concern_days=self.concern_days)),
                Reply(
                    say("route_formal"),
                    (self._button("quick", "route:quick"), self._button("formal", "route:formal"), *back),
                ),
            ]
        if step == "writer":
            return [
                Reply(
                    say("ask_writer"),
                    (*(self._button(f"writer_{w}", f"writer:{w}") for w in WRITERS), *back),
                )
            ]
        if step == "advocate":
            for_child = data.get("writer") not in {None, "self"}
            return [
                Reply(
                    say("ask_advocate_for_child" if for_child else "ask_advocate"),
                    (
                        self._button("yes_please", "advocate:yes"),
                        self._button("no_thanks", "advocate:no"),
                        *back,
                    ),
                )
            ]
        if step == "confirm":
            return [
                Reply(self._summary(data)),
                Reply(
                    say("ask_confirm"),
                    (
                        self._button("send", "confirm:send"),
                        self._button("change", "confirm:change"),
                        *self._thanks_button(data),
                        self._button("cancel", "nav:cancel"),
                    ),
                ),
            ]
        if step == "thanks":
            return [Reply(say("ask_thanks"), back)]
        if step == "change":
            options = [
                self._button("change_text", "change:text"),
                self._button("change_topic", "change:topic"),
            ]
            options.append(self._button("change_identity", "change:identity"))
            if data.get("kind") == "wrong":
                options += [
                    self._button("change_route", "change:route"),
                    self._button("change_writer", "change:writer"),
                    self._button("change_advocate", "change:advocate"),
                ]
            return [Reply(say("ask_change"), tuple(options))]
        if step == "question_followup":
            return [
                Reply(
                    say("question_helped"),
                    (
                        self._button("helped", "question:helped"),
                        self._button("ask_person", "question:person"),
                    ),
                )
            ]
        if step == "question_unknown":
            return [
                Reply(
                    say("question_unknown"),
                    (self._button("yes", "question:send"), self._button("no", "question:no")),
                )
            ]
        if step == "done":
            return [Reply(say("after_saved"), (self._button("start_again", "nav:start_again"),))]
        if step == "safety_check":
            return [Reply(say("sg_ask_safe"), self._safety_buttons())]
        if step == "check_in":
            return [
                Reply(
                    say("ci_ask"),
                    (
                        self._button("ci_yes", "check_in:yes"),
                        self._button("ci_no", "check_in:no"),
                        self._button("help_now", "nav:help_now"),
                    ),
                )
            ]
        if step == "carry_on":
            return [self._carry_on_reply()]
        return [Reply(say("ask_kind"), self._kind_buttons())]

    def _summary(self, data: dict[str, Any]) -> str:
        say = self.texts.say
        kind = self._final_kind(data)
        lines = [say("summary_intro"), say("summary_kind", kind=self.texts.labels.get(f"kind_{kind}", kind))]
        lines.append(say("summary_text", text=data.get("text", "")))
        if data.get("topic"):
            topic = data.get("topic_text") or self.texts.topic_label(data["topic"])
            lines.append(say("summary_topic", topic=topic))
        if data.get("thanked") and "summary_thanked" in self.texts.messages:
            lines.append(say("summary_thanked", name=data["thanked"]))
        if data.get("anonymous", True):
            lines.append(say("summary_anonymous"))
        else:
            lines.append(say("summary_name", name=data.get("name") or ""))
            if data.get("contact_method"):
                label = self.texts.labels.get(f"by_{data['contact_method']}", "")
                lines.append(
                    say("summary_contact", how=f"{label}: {data.get('contact_value') or ''}".strip())
                )
        if data.get("kind") == "wrong":
            route = data.get("route")
            if route in {"quick", "formal"}:
                lines.append(say("summary_route", route=self.texts.labels[route]))
            if data.get("writer") in WRITERS:
                lines.append(say("summary_writer", writer=self.texts.labels[f"writer_{data['writer']}"]))
            if data.get("advocate") is not None:
                answer = self.texts.labels["yes_please" if data["advocate"] else "no_thanks"]
                lines.append(say("summary_advocate", advocate=answer))
        return "\n".join(lines)

    # --- helpers -------------------------------------------------------------------------------

    def _thanks_button(self, data: dict[str, Any]) -> tuple[Button, ...]:
        """A compliment may say who to thank (an extra button at the summary, never a must)."""
        if data.get("kind") != "compliment" or "thank_someone" not in self.texts.labels:
            return ()
        return (self._button("thank_someone", "confirm:thanks"),)

    def _button(self, label_key: str, value: str) -> Button:
        picture = self.texts.pictures.get(label_key, "") if self.texts.show_pictures else ""
        return Button(self.texts.labels[label_key], value, picture)

    def _kind_buttons(self) -> tuple[Button, ...]:
        return (
            self._button("kind_good", "kind:good"),
            self._button("kind_idea", "kind:idea"),
            self._button("kind_wrong", "kind:wrong"),
            self._button("kind_question", "kind:question"),
            self._button("help_now", "nav:help_now"),
        )

    def _after_identity(self, data: dict[str, Any]) -> str:
        return "route" if data.get("kind") in {"wrong", "unsure"} else "confirm"

    def _yes_no(self, text: str, choice: str | None, *, yes: str, no: str) -> bool | None:
        if choice:
            if choice == yes:
                return True
            if choice == no:
                return False
            return None
        plain = _plain(text)
        if plain in self.texts.yes_words:
            return True
        if plain in self.texts.no_words:
            return False
        return None

    def _topic_from_text(self, text: str) -> str | None:
        plain = f" {_plain(text)} "
        for tid, label, words in self.texts.topics:
            if _plain(label) == plain.strip() or any(f" {w} " in plain for w in words):
                return tid
        return None

    def _contact_from_text(self, text: str) -> str | None:
        plain = _plain(text)
        if "@" in text or "email" in plain:
            return "email"
        if re.search(r"\d{5,}", text.replace(" ", "")) or re.search(
            r"\b(phone|call|ring|text|mobile)\b", plain
        ):
            return "phone"
        if re.search(r"\b(worker|sw|pa|social worker)\b", plain):
            return "worker"
        if plain in self.texts.no_words or "don't" in plain or "dont" in plain:
            return "none"
        return None

    @staticmethod
    def _valid_contact(method: str, text: str) -> bool:
        value = text.strip()
        return bool(_PHONE.match(value)) if method == "phone" else bool(_EMAIL.match(value))

    @staticmethod
    def _route_from_text(text: str) -> str | None:
        plain = _plain(text)
        if re.search(r"\b(complaint|complain|formal)\b", plain):
            return "formal"
        if re.search(r"\b(quick|quickly|sort|worry|fix)\b", plain):
            return "quick"
        return None

    @staticmethod
    def _final_kind(data: dict[str, Any]) -> str:
        kind = data.get("kind")
        if kind == "wrong":
            return "complaint" if data.get("route") == "formal" else "concern"
        if kind == "unsure":
            return "complaint" if data.get("route") == "formal" else "concern"
        return kind or "concern"

    def _submission(self, state: dict[str, Any]) -> Submission:
        data = state["data"]
        kind = self._final_kind(data)
        return Submission(
            kind=kind,
            text=data.get("text", ""),
            topic=data.get("topic"),
            topic_text=data.get("topic_text"),
            anonymous=bool(data.get("anonymous", True)),
            name=data.get("name"),
            contact_method=data.get("contact_method"),
            contact_value=data.get("contact_value"),
            advocate_requested=data.get("advocate") if data.get("kind") in {"wrong", "unsure"} else None,
            notes=dict(data.get("notes", {})),
            safeguarding=bool(state.get("safeguarding", {}).get("raised")),
            writer=data.get("writer") if data.get("kind") in {"wrong", "unsure"} else None,
            thanked=data.get("thanked") if kind == "compliment" else None,
        )
