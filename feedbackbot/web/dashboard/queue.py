"""The queue: what is due and overdue for this member of staff, colour-coded and sortable."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import OutboxMessage, OutboxStatus
from feedbackbot.services import clock, outbox
from feedbackbot.services.concerns_log import STATUSES, concerns_csv, concerns_log
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.logging_for_child import ALL_FEEDBACK_ROLES
from feedbackbot.services.queue import work_queue
from feedbackbot.services.report_data import theme_finder
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


def _concern_filters() -> dict[str, object]:
    try:
        start = date.fromisoformat(request.args["from"]) if request.args.get("from") else None
        end = date.fromisoformat(request.args["to"]) if request.args.get("to") else None
    except ValueError:
        abort(400, description="dates are written YYYY-MM-DD")
    return {
        "start": start,
        "end": end,
        "theme": request.args.get("theme") or None,
        "status": request.args.get("status") or "all",
    }


@bp.get("/concerns")
@staff_page(ALL_FEEDBACK_ROLES)
def concerns() -> tuple[str, int]:
    """The log of informal concerns and how each was resolved, filtered by date, theme and status."""
    finder = theme_finder()
    labels = {t.key: t.label for t in finder.themes}
    try:
        rows, error, status = concerns_log(**_concern_filters()), None, 200
    except ServiceError as exc:
        rows, error, status = [], str(exc), exc.status_code
    return (
        render_template(
            "staff/concerns.html",
            concerns=rows,
            labels=labels,
            args=request.args,
            statuses=STATUSES,
            error=error,
        ),
        status,
    )


@bp.get("/concerns.csv")
@staff_page(ALL_FEEDBACK_ROLES)
def concerns_export() -> Response:
    """The concerns log, as filtered, as CSV."""
    try:
        rows = concerns_log(**_concern_filters())
    except ServiceError as exc:
        abort(exc.status_code, description=str(exc))
    labels = {t.key: t.label for t in theme_finder().themes}
    return Response(
        concerns_csv(rows, labels),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="concerns-log.csv"'},
    )


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
