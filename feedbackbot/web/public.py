"""Pages for young people and anyone else who wants to tell the Trust something."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from feedbackbot.extensions import limiter
from feedbackbot.models import Feedback
from feedbackbot.services import chat, complainant
from feedbackbot.services.config import domain
from feedbackbot.services.errors import NotFound, ServiceError

bp = Blueprint("public", __name__)


@bp.get("/chat")
@bp.get("/")
def index() -> str:
    """The chat: a young person starts here."""
    return render_template("chat.html", max_chars=current_app.config["MAX_MESSAGE_CHARS"])


@bp.get("/you-said-we-did")
def you_said_we_did() -> str:
    """What changed because of what young people said (published by the participation team)."""
    from feedbackbot.services.you_said import published

    return render_template("you_said_we_did.html", items=published())


@bp.get("/privacy")
def privacy() -> str:
    """Say in plain words what happens to what people write, before they write it."""
    return render_template("privacy.html")


class CheckForm(FlaskForm):
    """Reference and code, as shown when the feedback was sent."""

    reference = StringField(
        "Your reference", validators=[DataRequired("Type your reference."), Length(max=40)]
    )
    code = StringField("Your code", validators=[DataRequired("Type your code."), Length(max=40)])


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
        "Tell us why you are not happy with our answer",
        validators=[DataRequired("Tell us why you are not happy."), Length(max=complainant.MAX_REASON_CHARS)],
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
            status_text=domain().chat_texts.status_for(feedback.kind, feedback.status),
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
