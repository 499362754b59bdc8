"""Pages for young people and anyone else who wants to tell the Trust something."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from feedbackbot.extensions import limiter
from feedbackbot.models import Feedback
from feedbackbot.services import chat, complainant
from feedbackbot.services.config import domain
from feedbackbot.services.errors import NotFound, ServiceError
from feedbackbot.web.i18n import select_language

bp = Blueprint("public", __name__)


@bp.get("/chat")
@bp.get("/")
def index() -> str:
    """The chat: a young person starts here (?easy=1 for big picture buttons and short lines)."""
    if request.args.get("easy") in {"0", "1"}:
        session["easy_read"] = request.args["easy"] == "1"
    return render_template(
        "chat.html",
        max_chars=current_app.config["MAX_MESSAGE_CHARS"],
        easy=request.args.get("easy") == "1"
        or (request.args.get("easy") is None and session.get("easy_read", False)),
        js_strings=chat_page_strings(),
    )


def chat_page_strings() -> dict[str, str]:
    """What the chat page's script says, in the page's language."""
    return {
        "bot_said": _("Voices of Sandwell said:"),
        "you_said": _("You said:"),
        "sending": _("Sending…"),
        "busy": _("Just a moment, still sending your last message…"),
        "went_wrong": _("Something went wrong."),
        "kept_text": _("Your message is still in the box; please try again."),
        "kept_choice": _("Nothing was lost; please press it again."),
        "type_first": _("Type a message first."),
        "too_long": _(
            "Your message is %(count)s characters too long. Please make it shorter, or send it in two parts."
        ),
        "chars_left": _("%(count)s characters left."),
        "copied": _("Copied."),
        "copy_failed": _("Could not copy: please write them down."),
        "reference": _("Your reference"),
        "code": _("Your code"),
        "could_not_start": _("The chat could not start. Please reload the page."),
        "read_aloud": _("Read aloud"),
        "stop_reading": _("Stop reading"),
    }


@bp.get("/leave")
def leave() -> Response:
    """Leave this site quickly: forget the chat kept in this browser, even with JavaScript off."""
    session.clear()
    return redirect(current_app.config["QUICK_EXIT_URL"], 303)


@bp.get("/you-said-we-did")
def you_said_we_did() -> str:
    """What changed because of what young people said (published by the participation team)."""
    from feedbackbot.services.you_said import published

    return render_template("you_said_we_did.html", items=published())


@bp.get("/privacy")
def privacy() -> str:
    """Say in plain words what happens to what people write, before they write it.

    How long things are kept comes from the retention rules the clock applies, never from the template.
    """
    return render_template("privacy.html", retention=domain().retention.ordered())


class CheckForm(FlaskForm):
    """Reference and code, as shown when the feedback was sent."""

    reference = StringField(
        _l("Your reference"), validators=[DataRequired(_l("Type your reference.")), Length(max=40)]
    )
    code = StringField(_l("Your code"), validators=[DataRequired(_l("Type your code.")), Length(max=40)])


@bp.route("/check", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STATUS_LIMIT"], methods=["POST"])
def check() -> str | tuple[str, int]:
    """Come back with a reference and code to see what happened (and only that feedback)."""
    form = CheckForm()
    if not form.is_submitted():
        return render_template("check.html", form=form)
    if not form.validate():
        return render_template("check.html", form=form), 400
    try:
        feedback = chat.feedback_for_young_person(form.reference.data or "", form.code.data or "")
    except NotFound as exc:
        return render_template("check.html", form=form, not_found=str(exc)), 404
    return _result(feedback, form.code.data or "")


class NextStageForm(FlaskForm):
    """ "I'm not happy - ask for the next stage": their reasons, with the reference and code again."""

    reference = HiddenField(validators=[DataRequired(), Length(max=40)])
    code = HiddenField(validators=[DataRequired(), Length(max=40)])
    reason = TextAreaField(
        _l("Tell us why you are not happy with our answer"),
        validators=[
            DataRequired(_l("Tell us why you are not happy.")),
            Length(max=complainant.MAX_REASON_CHARS),
        ],
    )


def _result(
    feedback: Feedback,
    code: str,
    *,
    form: NextStageForm | None = None,
    notice: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    next_form = form or NextStageForm(formdata=None, reference=feedback.reference, code=code)
    return (
        render_template(
            "check_result.html",
            feedback=feedback,
            case=complainant.view_for(feedback),
            status_text=domain().texts(select_language()).status_for(feedback.kind, feedback.status),
            next_form=next_form,
            notice=notice,
        ),
        status,
    )


@bp.post("/check/next-stage")
@limiter.limit(lambda: current_app.config["STATUS_LIMIT"])
def next_stage() -> tuple[str, int]:
    """Ask for the next stage from /check: a dated request with their reasons."""
    form = NextStageForm()
    try:
        feedback = chat.feedback_for_young_person(form.reference.data or "", form.code.data or "")
    except NotFound as exc:
        return render_template("check.html", form=CheckForm(formdata=None), not_found=str(exc)), 404
    if not form.validate():
        return _result(feedback, form.code.data or "", form=form, status=400)
    try:
        view = complainant.request_next_stage(feedback, form.reason.data or "")
    except ServiceError as exc:
        return _result(feedback, form.code.data or "", form=form, notice=str(exc), status=exc.status_code)
    done = (
        f"We have your request for Stage {view.current.number}. The complaints team will be in touch "
        "with you soon."
    )
    return _result(feedback, form.code.data or "", notice=done)
