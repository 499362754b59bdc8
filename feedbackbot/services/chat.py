"""Chat conversations: start one, take a message, save the feedback, let the young person come back.

Every chat channel (the web page, the JSON API, other front ends) calls these. The engine in
core/conversation.py decides what to say; this module stores the conversation, commits the
feedback record before the reference is shown, and checks the secrets that keep one young
person's conversation and feedback from anyone else.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select, update

from feedbackbot.core.calendar import local_date
from feedbackbot.core.conversation import Promise, Reply, Submission, Turn
from feedbackbot.core.procedures import stage_timescales
from feedbackbot.extensions import db
from feedbackbot.models import Conversation, ConversationMessage, Feedback, Sender
from feedbackbot.services import advocacy, clock, outbox, safeguarding
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.config import domain
from feedbackbot.services.errors import Conflict, Invalid, NotFound
from feedbackbot.services.feedback import record_feedback
from feedbackbot.services.users import password_hasher

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read out and type
CHAT_CHANNELS = ("web_chat", "api")


# --- secrets -----------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_access_code() -> str:
    """A code shown with the reference: 8 characters that are hard to mix up, as XXXX-XXXX."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


# Codes are kept as HMAC-SHA256 keyed with a key derived from SECRET_KEY. Why not argon2 (as until
# 2026-11): a young person's code is random (8 characters of 31: 8.5e11 codes, 39.6 bits), not a
# password people reuse, so a slow hash buys nothing a secret key does not: without the key a copy
# of the database gives no way to test a guess at all, and guessing online is held to
# FEEDBACKBOT_STATUS_LIMIT (50 a day per address: ~4.7e7 years per code at that rate). argon2 took
# ~60-100 ms of a web worker per code saved and per look-up, blocking every other young person
# on that worker; HMAC takes microseconds. Codes stored as argon2 still verify and are re-stored
# as HMAC when next used. Changing SECRET_KEY makes codes stored as HMAC stop matching.
HMAC_PREFIX = "hmac-sha256$"


def _code_key() -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"feedbackbot access code v1", hashlib.sha256).digest()


def hash_access_code(code: str) -> str:
    """Keyed hash of the code, so a copy of the database does not give the codes away."""
    digest = hmac.new(_code_key(), _normalise_code(code).encode(), hashlib.sha256).hexdigest()
    return f"{HMAC_PREFIX}{digest}"


def access_code_matches(stored_hash: str | None, code: str) -> bool:
    """Check a code against its stored hash (HMAC, or argon2 for codes saved before)."""
    if not stored_hash:
        return False
    if stored_hash.startswith(HMAC_PREFIX):
        return hmac.compare_digest(stored_hash, hash_access_code(code))
    try:
        return password_hasher().verify(stored_hash, _normalise_code(code))
    except (VerificationError, InvalidHashError):
        return False


# --- conversations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    """A new conversation: its id, the secret token the front end keeps, and the bot's first words."""

    conversation: Conversation
    token: str
    messages: list[ConversationMessage]


def _store_replies(conversation: Conversation, replies: list[Reply]) -> list[ConversationMessage]:
    stored = []
    for reply in replies:
        message = ConversationMessage(
            sender=Sender.BOT.value,
            text=reply.text,
            buttons=[b.to_dict() for b in reply.buttons] or None,
        )
        conversation.messages.append(message)
        stored.append(message)
    return stored


def start_conversation(channel: str = "api", language: str | None = None, *, easy: bool = False) -> Started:
    """Open a conversation and say hello, in the young person's language when the chat speaks it."""
    if channel not in CHAT_CHANNELS:
        raise Invalid(f"channel must be one of {', '.join(CHAT_CHANNELS)}")
    lang = domain().language(language)
    turn = domain().engine(lang, easy).start(easy=easy)
    turn.state["lang"] = lang
    token = secrets.token_urlsafe(32)
    conversation = Conversation(
        id=secrets.token_hex(16), token_hash=_token_hash(token), channel=channel, state=turn.state
    )
    db.session.add(conversation)
    messages = _store_replies(conversation, turn.replies)
    db.session.commit()
    return Started(conversation, token, messages)


def get_conversation(conversation_id: str, token: str | None, *, for_update: bool = False) -> Conversation:
    """Find a conversation for the person holding its token; anyone else gets "not found"."""
    conversation = None
    if conversation_id:
        stmt = select(Conversation).where(Conversation.id == conversation_id)
        if for_update:  # one message at a time per conversation (PostgreSQL row lock)
            stmt = stmt.with_for_update()
        conversation = db.session.scalars(stmt).first()
    if (
        conversation is None
        or not token
        or not hmac.compare_digest(conversation.token_hash, _token_hash(token))
    ):
        raise NotFound("There is no conversation with that id (or the token does not match).")
    return conversation


def current_buttons(conversation: Conversation) -> list[dict[str, str]]:
    """The buttons of the bot's latest message: what the young person can press now."""
    return buttons_after(conversation.messages)


def buttons_after(messages: Sequence[ConversationMessage]) -> list[dict[str, str]]:
    """The buttons the bot's last replies left, read from the messages already in hand (no reload)."""
    for message in reversed(messages):
        if message.sender == Sender.BOT.value:
            if message.buttons:
                return message.buttons
        else:
            break
    return []


def _label_for(conversation: Conversation, choice: str) -> str:
    for button in current_buttons(conversation):
        if button["value"] == choice:
            return button["label"]
    labels = domain().texts(conversation.state.get("lang")).labels
    return labels.get(choice.removeprefix("nav:"), choice)


def post_message(
    conversation_id: str, token: str | None, *, text: str | None = None, choice: str | None = None
) -> list[ConversationMessage]:
    """Take the young person's message or button press, and give the bot's new messages.

    When the young person sends their feedback, the record is committed in the same
    transaction as the bot's reply that shows the reference: if saving fails, no reference
    is ever shown.
    """
    conversation = get_conversation(conversation_id, token, for_update=True)
    text = (text or "").strip() or None
    if text is None and not choice:
        raise Invalid("Send `text` or `choice`.")
    if text and len(text) > current_app.config["MAX_MESSAGE_CHARS"]:
        raise Invalid("That message is too long.")
    said = ConversationMessage(
        sender=Sender.YOUNG_PERSON.value,
        text=text if text is not None else _label_for(conversation, choice or ""),
        choice=choice,
    )
    conversation.messages.append(said)
    engine = domain().engine(conversation.state.get("lang"), bool(conversation.state.get("easy")))
    turn = engine.handle(conversation.state, text=text, choice=choice)
    notifications = []
    alert = None
    if turn.check_in is not None or turn.disclosure is not None:
        db.session.flush()
    if turn.check_in is not None:
        safeguarding.record_check_in(conversation, said, turn.check_in)
    if turn.disclosure is not None:
        alert, notifications = safeguarding.raise_alert(conversation, said, turn.disclosure)
        if conversation.feedback_id is not None:  # told us after their feedback was sent
            safeguarding.link_feedback(conversation, db.session.get(Feedback, conversation.feedback_id))
    if turn.check_in_answer is not None:
        safeguarding.answer_check_in(conversation, turn.check_in_answer, alert)
    if turn.submission is not None:
        turn = _submit(conversation, turn)
    conversation.state = turn.state
    new_messages = _store_replies(conversation, turn.replies)
    db.session.commit()
    # The alert is committed with the reply; Slack is tried after, so the young person never waits.
    outbox.send_soon(current_app._get_current_object(), [n.id for n in notifications])  # type: ignore[attr-defined]
    return new_messages


def _submit(conversation: Conversation, turn: Turn) -> Turn:
    """Create the feedback record (not yet committed) and let the engine word the confirmation."""
    submission: Submission = turn.submission  # type: ignore[assignment]
    engine = domain().engine(conversation.state.get("lang"), bool(conversation.state.get("easy")))
    if conversation.feedback_id is not None:  # already saved (a second press of "Send it")
        return engine.handle({**turn.state, "step": "done"})
    code = new_access_code()
    received = clock.now()
    feedback = record_feedback(
        kind=submission.kind,
        text=submission.text,
        channel=conversation.channel,
        anonymous=submission.anonymous,
        received_at=received,
        actor=Actor.public(conversation.channel),
        commit=False,
    )
    feedback.topic = submission.topic
    feedback.topic_text = submission.topic_text
    feedback.name = submission.name
    feedback.contact_method = submission.contact_method
    feedback.contact_value = submission.contact_value
    feedback.advocate_requested = submission.advocate_requested
    feedback.writer = submission.writer
    feedback.thanked = submission.thanked
    feedback.notes = submission.notes or None
    feedback.access_code_hash = hash_access_code(code)
    db.session.flush()
    if submission.advocate_requested is not None:  # the chat offered an advocate: track the answer
        advocacy.record_offer(
            feedback,
            "accepted" if submission.advocate_requested else "declined",
            on=local_date(received, current_app.config["TIMEZONE"]),
            offered_by="the chat",
            actor=Actor.public(conversation.channel),
        )
    if submission.safeguarding:
        safeguarding.link_feedback(conversation, feedback)
    # Claim the conversation for this feedback only if no other request got there first.
    claimed = db.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation.id, Conversation.feedback_id.is_(None))
        .values(feedback_id=feedback.id)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise Conflict("This has already been sent.")
    db.session.refresh(conversation)
    record_event(
        Actor.public(conversation.channel),
        "conversation.submitted",
        "conversation",
        conversation.id,
        after={"feedback": feedback.reference},
    )
    promise = promise_for(submission.kind, local_date(received, current_app.config["TIMEZONE"]))
    return engine.submitted(turn.state, feedback.reference, code, promise)


def promise_for(kind: str, received: date) -> Promise:
    """What the young person is told about when they will hear back, from configuration."""
    config = domain().procedures
    calendar = domain().calendar
    # The same deadline the advocacy referral is tracked against (services/advocacy.py).
    advocate_by = calendar.add_working_days(received, config.advocate_contact_within)
    if kind == "complaint":
        stage = config.procedure("statutory").stage(1)
        times = stage_timescales(stage, received, calendar)
        return Promise(
            date=times.respond_by,
            acknowledge_date=times.acknowledge_by,
            extended_date=times.extended_respond_by,
            advocate_date=advocate_by,
        )
    days = config.promises.get(kind, config.promises.get("concern", 10))
    return Promise(date=calendar.add_working_days(received, days), advocate_date=advocate_by)


# --- coming back -------------------------------------------------------------------------------


def feedback_for_young_person(reference: str, code: str) -> Feedback:
    """Find feedback for someone holding its reference and code; anyone else gets "not found"."""
    feedback = db.session.scalars(
        select(Feedback).where(Feedback.reference == reference.strip().upper())
    ).first()
    stored = feedback.access_code_hash if feedback else hash_access_code("timing-equaliser")
    if feedback is None or not access_code_matches(stored, code):
        raise NotFound("We couldn't find that reference and code. Please check them and try again.")
    if not (stored or "").startswith(HMAC_PREFIX):  # an argon2 code from before: keep it as HMAC now
        feedback.access_code_hash = hash_access_code(code)
        db.session.commit()
    return feedback
