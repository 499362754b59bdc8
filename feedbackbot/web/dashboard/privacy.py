"""Admins' privacy actions on one record: legal hold (set, lift) and erasure on request."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from feedbackbot.services import retention
from feedbackbot.services.audit import Actor
from feedbackbot.services.complaints import complaint_for
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.feedback import get_feedback
from feedbackbot.web.dashboard import bp, staff_page

ADMIN = frozenset({"admin"})
DONE = {
    "hold": "{ref} is on legal hold: retention and erasure leave it alone.",
    "release": "The legal hold on {ref} is lifted; the retention rules apply again.",
    "erase": "{ref} is erased: its words and personal details are gone; its counts stay.",
}


class ReasonForm(FlaskForm):
    """Every privacy action needs a reason, kept in the audit trail."""

    reason = TextAreaField("Reason", validators=[DataRequired(), Length(max=2000)])


def _render(reference: str, error: str | None = None, status: int = 200) -> tuple[str, int]:
    feedback = get_feedback(reference)
    return render_template(
        "staff/privacy_actions.html",
        feedback=feedback,
        form=ReasonForm(formdata=None),
        rule=retention.policy().rule("complaint" if complaint_for(feedback) else "feedback"),
        error=error,
    ), status


@bp.get("/privacy/<reference>")
@staff_page(ADMIN)
def privacy_actions(reference: str) -> tuple[str, int]:
    """A record's legal hold and erasure."""
    return _render(reference)


@bp.post("/privacy/<reference>/<action>")
@staff_page(ADMIN)
def privacy_action(reference: str, action: str) -> Response | tuple[str, int]:
    """Set or lift a legal hold, or erase the record, with a reason."""
    if action not in DONE:
        abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _render(reference, "Give a reason.", 400)
    act = {
        "hold": retention.set_legal_hold,
        "release": retention.release_legal_hold,
        "erase": retention.erase,
    }
    try:
        feedback = act[action](reference, form.reason.data or "", Actor.staff(current_user))
    except ServiceError as exc:
        return _render(reference, str(exc), exc.status_code)
    flash(DONE[action].format(ref=feedback.reference), "info")
    return redirect(url_for("dashboard.privacy_actions", reference=feedback.reference), 303)
