"""A safeguarding alert: the young person's words (for the roles that need them), and acknowledging it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from feedbackbot.extensions import db
from feedbackbot.models import Conversation
from feedbackbot.services import access_log, complaints
from feedbackbot.services import safeguarding as service
from feedbackbot.services.errors import ServiceError
from feedbackbot.web.dashboard import bp, staff_page
from feedbackbot.web.dashboard.forms import AcknowledgeForm


def _render(alert_id: int, error: str | None = None, status: int = 200) -> tuple[str, int]:
    alert = service.get_alert(alert_id)
    conversation = db.session.get(Conversation, alert.conversation_id) if alert.conversation_id else None
    return (
        render_template(
            "staff/alert.html",
            alert=alert,
            categories=service.category_labels(alert.categories),
            conversation=conversation,
            form=AcknowledgeForm(),
            error=error,
        ),
        status,
    )


@bp.get("/safeguarding/<int:alert_id>")
@staff_page(complaints.SAFEGUARDING_TEXT_ROLES)
def safeguarding_alert(alert_id: int) -> tuple[str, int]:
    """The alert with the conversation that raised it (each opening is logged)."""
    page = _render(alert_id)
    access_log.alert_opened(current_user, service.get_alert(alert_id), "dashboard")
    return page


@bp.get("/safeguarding/check-ins")
@staff_page(complaints.SAFEGUARDING_TEXT_ROLES)
def check_ins() -> str:
    """Every time the chat asked whether someone is hurting a young person, and what they said."""
    rows = service.recent_check_ins()
    messages = service.check_in_messages(rows)
    return render_template(
        "staff/check_ins.html", check_ins=rows, messages=messages, labels=service.category_labels
    )


@bp.post("/safeguarding/<int:alert_id>/acknowledge")
@staff_page(complaints.SAFEGUARDING_TEXT_ROLES)
def acknowledge(alert_id: int) -> Response | tuple[str, int]:
    """Take the alert on (stops the reminders)."""
    if not AcknowledgeForm().validate_on_submit():
        return _render(alert_id, "The form expired; please try again.", 400)
    try:
        service.acknowledge_alert(alert_id, staff=current_user)
    except ServiceError as exc:
        return _render(alert_id, str(exc), exc.status_code)
    flash("Acknowledged: you are dealing with it.", "info")
    return redirect(url_for("dashboard.safeguarding_alert", alert_id=alert_id), 303)
