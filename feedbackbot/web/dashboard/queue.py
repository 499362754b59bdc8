"""The queue: what is due and overdue for this member of staff, colour-coded and sortable."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import Feedback, OutboxMessage, OutboxStatus
from feedbackbot.services import clock, outbox
from feedbackbot.services.logging_for_child import ALL_FEEDBACK_ROLES
from feedbackbot.services.queue import work_queue
from feedbackbot.web.dashboard import bp, staff_page

SORTS = ("due", "kind", "reference")


@bp.get("/")
@staff_page()
def queue() -> str:
    """Everything due or waiting for this member of staff."""
    sort = request.args.get("sort", "due")
    sort = sort if sort in SORTS else "due"
    items = work_queue(current_user, sort)
    pending, _oldest, error = outbox.backlog()
    return render_template(
        "staff/queue.html",
        items=items,
        sort=sort,
        today=clock.today(),
        outbox_pending=pending,
        outbox_error=error,
    )


@bp.get("/concerns")
@staff_page(ALL_FEEDBACK_ROLES)
def concerns() -> str:
    """The log of informal concerns and how each was resolved."""
    rows = db.session.scalars(
        select(Feedback).where(Feedback.kind == "concern").order_by(Feedback.received_at.desc())
    )
    return render_template("staff/concerns.html", concerns=list(rows))


@bp.get("/notifications")
@staff_page(ALL_FEEDBACK_ROLES)
def notifications() -> str:
    """Slack notifications waiting or failing, so an outage is visible."""
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING.value)
        .order_by(OutboxMessage.created_at)
        .limit(200)
    )
    recent = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENT.value)
        .order_by(OutboxMessage.sent_at.desc())
        .limit(20)
    )
    return render_template("staff/notifications.html", pending=list(rows), recent=list(recent))
