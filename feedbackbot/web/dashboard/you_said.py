"""Staff publish "you said, we did" for young people; the public page lives in web/public."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from feedbackbot.services import you_said as service
from feedbackbot.services.complaints import LOOP_ROLES, WordingFindings
from feedbackbot.services.errors import ServiceError
from feedbackbot.web.dashboard import bp, staff_page


@bp.route("/you-said-we-did", methods=["GET", "POST"])
@staff_page(LOOP_ROLES)
def you_said_we_did() -> Response | tuple[str, int]:
    """Write and publish a change; the words are checked before they go public."""
    error, findings, rewritten, status = None, [], None, 200
    if request.method == "POST":
        try:
            service.publish(
                current_user,
                request.form.get("you_said", ""),
                request.form.get("we_did", ""),
                no_personal_data=request.form.get("no_personal_data") == "yes",
                send_as_written=request.form.get("send_as_written") == "yes",
            )
        except WordingFindings as exc:
            error, findings, rewritten, status = str(exc), exc.findings, exc.rewritten, exc.status_code
        except ServiceError as exc:
            error, status = str(exc), exc.status_code
        else:
            flash("Published on the public page.", "info")
            return redirect(url_for("dashboard.you_said_we_did"), 303)
    return (
        render_template(
            "staff/you_said.html",
            items=service.published(),
            form=request.form,
            error=error,
            findings=findings,
            rewritten=rewritten,
        ),
        status,
    )


@bp.post("/you-said-we-did/<int:item_id>/withdraw")
@staff_page(LOOP_ROLES)
def you_said_withdraw(item_id: int) -> Response:
    """Take an entry off the public page."""
    try:
        service.withdraw(current_user, item_id)
        flash("Taken off the public page.", "info")
    except ServiceError as exc:
        flash(str(exc), "error")
    return redirect(url_for("dashboard.you_said_we_did"), 303)
