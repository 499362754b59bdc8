"""Pages for young people and anyone else who wants to tell the Trust something."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from feedbackbot.extensions import limiter
from feedbackbot.services import chat
from feedbackbot.services.config import domain
from feedbackbot.services.errors import NotFound

bp = Blueprint("public", __name__)


@bp.get("/chat")
@bp.get("/")
def index() -> str:
    """The chat: a young person starts here."""
    return render_template("chat.html", max_chars=current_app.config["MAX_MESSAGE_CHARS"])


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
    return render_template(
        "check_result.html",
        feedback=feedback,
        status_text=domain().chat_texts.statuses.get(feedback.status, ""),
    )
