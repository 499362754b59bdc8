"""The learning register page: filter, export, and complete your own learning actions."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from feedbackbot.services import complaints as service
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.learning import (
    REGISTER_ROLES,
    STATUSES,
    learning_register,
    register_csv,
    register_owners,
)
from feedbackbot.web.dashboard import bp, staff_page


def _filters() -> dict[str, object]:
    status = request.args.get("status") or "open"
    if status not in STATUSES:
        abort(400, description=f"the status must be one of {', '.join(STATUSES)}")
    raw = request.args.get("owner") or ""
    if raw and not raw.isdigit():
        abort(400, description="choose an owner from the list")
    return {"status": status, "owner_id": int(raw) if raw else None, "mine": request.args.get("mine") == "1"}


@bp.get("/learning")
@staff_page()
def learning_register_page() -> str:
    """Every learning action (or, for other roles, the ones you own), with filters."""
    filters = _filters()
    rows = learning_register(current_user, **filters)
    return render_template(
        "staff/learning.html",
        rows=rows,
        filters=filters,
        statuses=STATUSES,
        owners=register_owners() if current_user.role in REGISTER_ROLES else [],
        args=request.args,
    )


@bp.get("/learning.csv")
@staff_page()
def learning_register_csv() -> Response:
    """The register, as filtered, as CSV."""
    rows = learning_register(current_user, **_filters())
    return Response(
        register_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="learning-register.csv"'},
    )


@bp.post("/learning/<int:action_id>/done")
@staff_page()
def learning_done(action_id: int) -> Response | tuple[str, int]:
    """Mark a learning action done with its evidence (its owner, or the complaints team)."""
    try:
        service.complete_learning_action(current_user, action_id, request.form.get("evidence", ""))
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("dashboard.learning_register_page"), 303)
    flash("Learning action done.", "info")
    return redirect(url_for("dashboard.learning_register_page"), 303)
