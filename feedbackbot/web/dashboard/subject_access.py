"""Admins' pages for subject access requests: the log, the bundle as a page and as JSON."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from feedbackbot.services import clock
from feedbackbot.services import subject_access as service
from feedbackbot.services.audit import Actor
from feedbackbot.services.errors import ServiceError
from feedbackbot.web.dashboard import bp, staff_page

ADMIN = frozenset({"admin"})


class SarForm(FlaskForm):
    """Who asked, when, and what to search for."""

    requester = StringField("Who made the request", validators=[DataRequired(), Length(max=200)])
    received_on = DateField("Date received", validators=[Optional()])
    names = TextAreaField("Names", validators=[Optional(), Length(max=2000)])
    contacts = TextAreaField("Contact details", validators=[Optional(), Length(max=2000)])
    references = TextAreaField("References", validators=[Optional(), Length(max=2000)])


class DoneForm(FlaskForm):
    """Mark a request answered: CSRF only."""


def _lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _render_list(form: SarForm | None = None, error: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "staff/sar.html",
        requests=service.all_requests(),
        form=form or SarForm(),
        today=clock.today(),
        error=error,
    ), status


@bp.get("/sar")
@staff_page(ADMIN)
def sar_list() -> tuple[str, int]:
    """Every subject access request, open ones first."""
    return _render_list()


@bp.post("/sar")
@staff_page(ADMIN)
def sar_log() -> Response | tuple[str, int]:
    """Log a request; it is due one calendar month after it was received."""
    form = SarForm()
    if not form.validate_on_submit():
        return _render_list(form, "Say who made the request, and give a real date if you give one.", 400)
    try:
        row = service.log_request(
            form.requester.data or "",
            form.received_on.data,
            names=_lines(form.names.data),
            contacts=_lines(form.contacts.data),
            references=_lines(form.references.data),
            actor=Actor.staff(current_user),
        )
    except ServiceError as exc:
        return _render_list(form, str(exc), exc.status_code)
    flash(f"Logged {row.reference}; it is due on {row.due_on:%d %B %Y}.", "info")
    return redirect(url_for("dashboard.sar_page", request_id=row.id), 303)


@bp.get("/sar/<int:request_id>")
@staff_page(ADMIN)
def sar_page(request_id: int) -> tuple[str, int]:
    """The request and the bundle as a readable page (the export is audited)."""
    row = service.get_request(request_id)
    bundle = service.bundle(row, Actor.staff(current_user))
    return render_template("staff/sar_request.html", request_row=row, bundle=bundle, form=DoneForm()), 200


@bp.get("/sar/<int:request_id>/bundle.json")
@staff_page(ADMIN)
def sar_json(request_id: int) -> Response:
    """The bundle as a JSON file to hand over (the export is audited)."""
    row = service.get_request(request_id)
    body = json.dumps(service.bundle(row, Actor.staff(current_user)), indent=2, ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{row.reference}.json"'},
    )


@bp.post("/sar/<int:request_id>/done")
@staff_page(ADMIN)
def sar_done(request_id: int) -> Response | tuple[str, int]:
    """Mark a request answered; its reminders stop."""
    if not DoneForm().validate_on_submit():
        return _render_list(error="The form expired; please try again.", status=400)
    try:
        row = service.complete(service.get_request(request_id), Actor.staff(current_user))
    except ServiceError as exc:
        return _render_list(error=str(exc), status=exc.status_code)
    flash(f"{row.reference} is answered.", "info")
    return redirect(url_for("dashboard.sar_list"), 303)
