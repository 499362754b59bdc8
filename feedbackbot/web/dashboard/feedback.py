"""A feedback record: read it, open a complaint from it, or record what came of it."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from feedbackbot.services import access_log, advocacy, categories, clock
from feedbackbot.services import complaints as service
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.feedback import get_feedback
from feedbackbot.services.logging_for_child import (
    LOGGED_CHANNELS,
    feedback_for_staff,
    log_for_child,
    logged_by,
)
from feedbackbot.web.dashboard import bp, staff_page
from feedbackbot.web.dashboard.forms import OpenComplaintForm, OutcomeForm


def _render(
    reference: str,
    *,
    complaint_form: OpenComplaintForm | None = None,
    outcome_form: OutcomeForm | None = None,
    categories_form: CategoriesForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    feedback = feedback_for_staff(current_user, reference)
    complaint = service.complaint_for(feedback)
    relationship = service.writer_relationship(feedback)
    form = complaint_form or OpenComplaintForm(
        procedure=service.suggested_procedure(feedback, relationship),
        relationship=relationship or "parent",
        complainant_name=feedback.name,
    )
    if categories_form is None:
        categories_form = CategoriesForm(
            service_area=feedback.service_area or "", about_staff=feedback.about_staff
        )
    categories_form.service_area.choices = _area_choices(feedback.service_area)
    return (
        render_template(
            "staff/feedback.html",
            feedback=feedback,
            categories_form=categories_form,
            area_label=categories.area_label(feedback.service_area),
            complaint=complaint,
            complaint_form=form,
            outcome_form=outcome_form or OutcomeForm(),
            suggested=service.suggested_procedure(feedback),
            can_read=service.can_read_text(current_user, feedback),
            can_open=current_user.role in service.COMPLAINT_ROLES,
            referral=advocacy.referral_for(feedback),
            contact_by=advocacy.contact_by,
            today=clock.today(),
            can_refer=current_user.role in advocacy.ADVOCACY_ROLES,
            error=error,
        ),
        status,
    )


def _open(form: OpenComplaintForm, **extra: object):
    """Open a case from the form's common fields plus what differs (feedback, or text and channel)."""
    return service.open_complaint(
        current_user,
        procedure=form.procedure.data,
        relationship=form.relationship.data,
        complainant_name=form.complainant_name.data,
        about_child=form.about_child.data,
        received_on=form.received_on.data,
        events_date=form.events_date.data,
        late_reason=form.late_reason.data,
        **extra,
    )


@bp.get("/feedback/<reference>")
@staff_page()
def feedback_page(reference: str) -> tuple[str, int]:
    """One feedback record (an opening of a disclosure's words is logged)."""
    page = _render(reference)
    access_log.feedback_opened(current_user, get_feedback(reference), "dashboard")
    return page


class CategoriesForm(FlaskForm):
    """The service area (from configuration) and whether it is about a member of staff."""

    service_area = SelectField("Service area", choices=[], validate_choice=False)
    about_staff = BooleanField("This is about a member of staff")


def _area_choices(current: str | None) -> list[tuple[str, str]]:
    """The configured areas, plus "not set", plus a stored area that has since left the list."""
    choices = [("", "Not set")] + [(a.id, a.label) for a in categories.service_areas()]
    if current and current not in {c[0] for c in choices}:
        choices.append((current, f"{current} (no longer configured)"))
    return choices


@bp.post("/feedback/<reference>/categories")
@staff_page()
def categorise(reference: str) -> Response | tuple[str, int]:
    """Set the service area and whether it is about a member of staff (the service checks the area)."""
    form = CategoriesForm()
    if not form.validate_on_submit():
        return _render(reference, categories_form=form, error="Check the categories.", status=400)
    try:
        categories.categorise_feedback(
            reference, form.service_area.data or None, bool(form.about_staff.data), staff=current_user
        )
    except ServiceError as exc:
        return _render(reference, categories_form=form, error=str(exc), status=exc.status_code)
    flash("Categories saved.", "info")
    return redirect(url_for("dashboard.feedback_page", reference=reference), 303)


@bp.post("/feedback/<reference>/complaint")
@staff_page(service.COMPLAINT_ROLES)
def open_from_feedback(reference: str) -> Response | tuple[str, int]:
    """Open a complaint case from this feedback (a person chooses the procedure)."""
    form = OpenComplaintForm()
    if not form.validate_on_submit():
        return _render(reference, complaint_form=form, error="Check the form.", status=400)
    try:
        complaint = _open(form, feedback_reference=reference)
    except ServiceError as exc:
        return _render(reference, complaint_form=form, error=str(exc), status=exc.status_code)
    flash(f"{complaint.reference} is now a {complaint.procedure} complaint case.", "info")
    return redirect(url_for("dashboard.complaint_page", reference=complaint.reference), 303)


@bp.post("/feedback/<reference>/outcome")
@staff_page()
def record_outcome(reference: str) -> Response | tuple[str, int]:
    """Record what came of it (an informal concern is resolved this way)."""
    form = OutcomeForm()
    if not form.validate_on_submit():
        return _render(reference, outcome_form=form, error="Say what came of it.", status=400)
    try:
        service.record_outcome(current_user, get_feedback(reference), form.outcome.data or "")
    except ServiceError as exc:
        return _render(reference, outcome_form=form, error=str(exc), status=exc.status_code)
    flash("Outcome recorded. The participation team will tell the young person.", "info")
    return redirect(url_for("dashboard.feedback_page", reference=reference), 303)


@bp.route("/complaints/new", methods=["GET", "POST"])
@staff_page(service.COMPLAINT_ROLES)
def new_complaint() -> Response | tuple[str, int]:
    """Open a complaint that did not come through the chat (a letter, a call, on a child's behalf)."""
    form = OpenComplaintForm()
    if not form.is_submitted():
        form.received_on.data = date.today()
        return render_template("staff/complaint_new.html", form=form), 200
    if not form.validate():
        return render_template("staff/complaint_new.html", form=form, error="Check the form."), 400
    try:
        complaint = _open(form, text=form.text.data, channel=form.channel.data)
    except ServiceError as exc:
        return render_template("staff/complaint_new.html", form=form, error=str(exc)), exc.status_code
    flash(f"{complaint.reference} opened.", "info")
    return redirect(url_for("dashboard.complaint_page", reference=complaint.reference), 303)


class LogForChildForm(FlaskForm):
    """Feedback a child gave a member of staff, logged on their behalf."""

    kind = SelectField(
        "What they told you",
        choices=[
            ("compliment", "Something good (a compliment)"),
            ("idea", "An idea"),
            ("concern", "A worry (an informal concern)"),
            ("complaint", "A complaint"),
            ("question", "A question"),
        ],
    )
    channel = SelectField(
        "How they told you",
        choices=[(c, c.replace("_", " ").capitalize()) for c in LOGGED_CHANNELS],
    )
    child_name = StringField(
        "The child's name (leave empty if they want to stay anonymous)",
        validators=[Optional(), Length(max=100)],
    )
    received_on = DateField("When they told you", validators=[Optional()])
    text = TextAreaField(
        "What they said, in their words",
        validators=[DataRequired("Write what they said."), Length(max=10000)],
    )


@bp.route("/log", methods=["GET", "POST"])
@staff_page()
def log_feedback() -> Response | tuple[str, int]:
    """Any member of staff logs feedback a child gave them; they see what they logged."""
    form = LogForChildForm()
    if form.is_submitted():
        if not form.validate():
            return render_template(
                "staff/log.html", form=form, mine=logged_by(current_user), error="Check the form."
            ), 400
        try:
            feedback = log_for_child(
                current_user,
                kind=form.kind.data or "",
                text=form.text.data or "",
                channel=form.channel.data or "",
                child_name=form.child_name.data,
                received_on=form.received_on.data,
            )
        except ServiceError as exc:
            return render_template(
                "staff/log.html", form=form, mine=logged_by(current_user), error=str(exc)
            ), exc.status_code
        flash(f"Logged as {feedback.reference}. The team whose work it is will pick it up.", "info")
        return redirect(url_for("dashboard.log_feedback"), 303)
    return render_template("staff/log.html", form=form, mine=logged_by(current_user)), 200


@bp.post("/feedback/<reference>/advocacy/<step>")
@staff_page(advocacy.ADVOCACY_ROLES)
def advocacy_step(reference: str, step: str) -> Response | tuple[str, int]:
    """Record that the child was referred to an advocacy service, or that the advocate made contact."""
    feedback = feedback_for_staff(current_user, reference)
    referral = advocacy.referral_for(feedback)
    if referral is None or step not in {"referred", "contact"}:
        abort(404)
    form = AdvocacyForm()
    if not form.validate_on_submit():
        return _render(reference, error="Check the advocacy form.", status=400)
    try:
        if step == "referred":
            advocacy.refer_on(current_user, referral, form.to.data or "", form.on.data)
        else:
            advocacy.record_contact(current_user, referral, form.on.data)
    except ServiceError as exc:
        return _render(reference, error=str(exc), status=exc.status_code)
    flash("Advocacy referral updated.", "info")
    return redirect(url_for("dashboard.feedback_page", reference=reference), 303)


class AdvocacyForm(FlaskForm):
    """Referred on to an advocacy service (to whom), or the day the advocate made contact."""

    to = StringField("Advocacy service", validators=[Optional(), Length(max=200)])
    on = DateField("Date", validators=[Optional()])
