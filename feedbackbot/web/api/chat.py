"""The chat API: start a conversation, send a message or button choice, read it back, check status."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, current_app, jsonify, request

from feedbackbot.extensions import db, limiter
from feedbackbot.models import Conversation, ConversationMessage, Feedback
from feedbackbot.services import chat, complainant
from feedbackbot.services.config import domain
from feedbackbot.web.api import bp, json_body, text_field

TOKEN_HEADER = "X-Conversation-Token"


def message_json(message: ConversationMessage) -> dict[str, Any]:
    """JSON shape of a chat message."""
    return {
        "id": message.id,
        "sender": message.sender,
        "text": message.text,
        "buttons": message.buttons or [],
        "created_at": message.created_at.isoformat(),
    }


def conversation_json(conversation: Conversation, messages: list[ConversationMessage]) -> dict[str, Any]:
    """JSON shape of a conversation with the given messages."""
    feedback = db.session.get(Feedback, conversation.feedback_id) if conversation.feedback_id else None
    return {
        "id": conversation.id,
        "step": conversation.state.get("step"),
        "language": conversation.state.get("lang", "en"),
        "reference": feedback.reference if feedback else None,
        "messages": [message_json(m) for m in messages],
        # The messages given are the bot's replies of this turn or the whole conversation: either
        # way their last bot messages hold what can be pressed now, with no reload of the rest.
        "buttons": chat.buttons_after(messages),
    }


def _conversation_key() -> str:
    return f"conversation:{(request.view_args or {}).get('conversation_id', '')}"


@bp.post("/conversations")
@limiter.limit(lambda: current_app.config["CHAT_LIMIT_START"])
def start_conversation() -> tuple[Response, int]:
    """Start a conversation; the token in the answer must be sent back with every message."""
    data = json_body() if request.get_data() else {}
    channel = data.get("channel", "api")
    language = data.get("language")
    if language is not None and not isinstance(language, str):
        abort(400, description="`language` must be a language code such as pl, pa or ur.")
    easy = data.get("easy_read", False)
    if not isinstance(easy, bool):
        abort(400, description="`easy_read` must be true or false.")
    started = chat.start_conversation(channel if isinstance(channel, str) else "", language, easy=easy)
    body = conversation_json(started.conversation, started.messages)
    body["token"] = started.token
    return jsonify(body), 201


@bp.get("/conversations/<conversation_id>")
@limiter.limit(lambda: current_app.config["CHAT_LIMIT_ADDRESS"])
def read_conversation(conversation_id: str) -> Response:
    """The whole conversation so far (a page reload resumes from this)."""
    conversation = chat.get_conversation(conversation_id, request.headers.get(TOKEN_HEADER))
    return jsonify(conversation_json(conversation, list(conversation.messages)))


@bp.post("/conversations/<conversation_id>/messages")
@limiter.limit(lambda: current_app.config["CHAT_LIMIT_CONVERSATION"], key_func=_conversation_key)
@limiter.limit(lambda: current_app.config["CHAT_LIMIT_ADDRESS"])
def send_message(conversation_id: str) -> Response:
    """Send `text` or a button's `choice`; the answer holds the bot's new messages."""
    data = json_body()
    limit = current_app.config["MAX_MESSAGE_CHARS"]
    text = text_field(data, "text", max_chars=limit, required=False)
    choice = data.get("choice")
    if choice is not None and (not isinstance(choice, str) or len(choice) > 60):
        abort(400, description="`choice` must be the value of one of the buttons.")
    new_messages = chat.post_message(
        conversation_id, request.headers.get(TOKEN_HEADER), text=text or None, choice=choice
    )
    conversation = chat.get_conversation(conversation_id, request.headers.get(TOKEN_HEADER))
    return jsonify(conversation_json(conversation, new_messages))


@bp.post("/feedback/status")
@limiter.limit(lambda: current_app.config["STATUS_LIMIT"])
def feedback_status() -> Response:
    """What happened to something a young person told us, for whoever holds its reference and code."""
    data = json_body()
    reference = text_field(data, "reference", max_chars=40)
    code = text_field(data, "code", max_chars=40)
    feedback = chat.feedback_for_young_person(reference, code)
    return jsonify(status_json(feedback))


@bp.post("/feedback/next-stage")
@limiter.limit(lambda: current_app.config["STATUS_LIMIT"])
def feedback_next_stage() -> tuple[Response, int]:
    """The complainant asks for the next stage with their reasons (201), or hears why not (409)."""
    data = json_body()
    reference = text_field(data, "reference", max_chars=40)
    code = text_field(data, "code", max_chars=40)
    reason = text_field(data, "reason", max_chars=complainant.MAX_REASON_CHARS)
    feedback = chat.feedback_for_young_person(reference, code)
    complainant.request_next_stage(feedback, reason)
    return jsonify(status_json(feedback)), 201


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def status_json(feedback: Feedback) -> dict[str, Any]:
    """What a young person may see of their feedback: never staff notes, only what was sent to them."""
    case = complainant.view_for(feedback)
    return {
        "reference": feedback.reference,
        "kind": feedback.kind,
        "status": feedback.status,
        "status_text": domain().chat_texts.status_for(feedback.kind, feedback.status),
        "received": feedback.received_at.isoformat(),
        "replies": [
            {"text": r.text, "method": r.method, "sent_at": r.sent_at.isoformat()} for r in feedback.replies
        ],
        "stage": case.stage,
        "stage_name": case.stage_name,
        "lead": case.lead,
        "respond_by": _iso(case.respond_by),
        "outcome": case.outcome,
        "mediation": case.mediation,
        "letters": [
            {"kind": x.kind, "title": x.title, "sent_on": x.sent_on.isoformat(), "text": x.text}
            for x in case.letters
        ],
        "next_stage_until": _iso(case.next_stage_until),
        "can_ask_next_stage": case.can_ask_next_stage,
        "next_steps": case.next_steps,
    }
