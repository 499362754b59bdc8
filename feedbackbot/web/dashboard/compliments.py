"""Compliments: name who is thanked, pass the thanks on, and the monthly list for the celebration."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from feedbackbot.services import clock
from feedbackbot.services.compliments import monthly_compliments, name_thanked, pass_on_thanks, received_on
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.logging_for_child import ALL_FEEDBACK_ROLES
from feedbackbot.web.dashboard import bp, staff_page


def _back(reference: str) -> Response:
    return redirect(url_for("dashboard.feedback_page", reference=reference) + "#thanks", 303)


@bp.post("/feedback/<reference>/thanked")
@staff_page(ALL_FEEDBACK_ROLES)
def compliment_thanked(reference: str) -> Response:
    """Name the member of staff a compliment thanks."""
    try:
        name_thanked(current_user, reference, request.form.get("thanked", ""))
        flash("Saved who is being thanked.", "info")
    except ServiceError as exc:
        if exc.status_code == 404:
            abort(404, description=str(exc))
        flash(str(exc), "error")
    return _back(reference)


@bp.post("/feedback/<reference>/thanks-passed-on")
@staff_page(ALL_FEEDBACK_ROLES)
def compliment_passed_on(reference: str) -> Response:
    """Record that the thanks were passed on."""
    try:
        pass_on_thanks(current_user, reference)
        flash("Recorded that the thanks were passed on.", "info")
    except ServiceError as exc:
        if exc.status_code == 404:
            abort(404, description=str(exc))
        flash(str(exc), "error")
    return _back(reference)


def _month() -> tuple[int, int]:
    raw = request.args.get("month")
    if not raw:
        today = clock.today()
        return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    try:
        day = date.fromisoformat(f"{raw.strip()}-01")
    except ValueError:
        abort(400, description="the month is written YYYY-MM")
    return day.year, day.month


@bp.get("/compliments")
@staff_page(ALL_FEEDBACK_ROLES)
def compliments_list() -> str:
    """The month's compliments and the staff named, for the celebration."""
    year, number = _month()
    label, rows = monthly_compliments(current_user, year, number)
    return render_template(
        "staff/compliments.html",
        label=label,
        rows=rows,
        month=f"{year}-{number:02d}",
        received_on=received_on,
    )


@bp.get("/compliments.csv")
@staff_page(ALL_FEEDBACK_ROLES)
def compliments_csv() -> Response:
    """The month's list as CSV."""
    year, number = _month()
    _, rows = monthly_compliments(current_user, year, number)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Reference", "Received", "Staff member thanked", "Thanks passed on"])
    for f in rows:
        writer.writerow(
            [
                f.reference,
                received_on(f).isoformat(),
                f.thanked or "",
                "yes" if f.thanks_passed_on_at else "no",
            ]
        )
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="compliments-{year}-{number:02d}.csv"'},
    )
