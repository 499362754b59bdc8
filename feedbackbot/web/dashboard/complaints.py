"""A complaint case: its stages, deadlines and timeline, and every action as a button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from feedbackbot.core.letters import LETTER_KINDS
from feedbackbot.extensions import db
from feedbackbot.models import AuditEvent, Complaint, StaffUser
from feedbackbot.models.base import storable_id
from feedbackbot.services import access_log, categories, clock, letters
from feedbackbot.services import complaints as service
from feedbackbot.services.errors import Invalid, ServiceError
from feedbackbot.web.dashboard import bp, staff_page
from feedbackbot.web.dashboard.forms import ActionForm

OUTCOME_LABELS = {"upheld": "Upheld", "partly_upheld": "Partly upheld", "not_upheld": "Not upheld"}


def _staff(value: str | None) -> StaffUser:
    try:
        number = int(value or "")
    except ValueError:
        number = 0
    person = db.session.get(StaffUser, number) if storable_id(number) else None
    if person is None:
        raise Invalid("choose a member of staff")
    return person


def _item_id(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Invalid("which learning action?") from None


def _require(value: Any, message: str) -> Any:
    if not value:
        raise Invalid(message)
    return value


def _findings() -> list[dict[str, Any]] | None:
    """The per-point findings of a Stage 2 response, in the order of the points (1-based)."""
    values = request.form.getlist("finding")
    if not values:
        return None
    return [{"point": number, "finding": value} for number, value in enumerate(values, start=1)]


ACTIONS: dict[str, Callable[[Complaint, ActionForm], Any]] = {
    "acknowledge": lambda c, f: service.acknowledge_complaint(
        current_user, c, f.on.data, send_as_written=bool(f.send_as_written.data)
    ),
    "assign_lead": lambda c, f: service.assign_lead(current_user, c, _staff(f.lead.data)),
    "advocate": lambda c, f: service.record_advocate_offer(current_user, c, f.answer.data or "", f.on.data),
    "extend": lambda c, f: service.extend_deadline(
        current_user, c, f.reason.data or "", f.on.data, send_as_written=bool(f.send_as_written.data)
    ),
    "pause": lambda c, f: service.pause_clock(
        current_user, c, f.reason.data or "", f.on.data, f.note.data or ""
    ),
    "resume": lambda c, f: service.resume_clock(current_user, c, f.on.data),
    "start_mediation": lambda c, f: service.start_mediation(current_user, c, f.on.data),
    "mediation_outcome": lambda c, f: service.record_mediation_outcome(
        current_user, c, f.outcome.data or "", f.on.data
    ),
    "respond": lambda c, f: service.respond_to_complaint(
        current_user,
        c,
        f.outcome.data or "",
        f.text.data or "",
        f.on.data,
        method=f.method.data or None,
        findings=_findings(),
        send_as_written=bool(f.send_as_written.data),
    ),
    "escalate": lambda c, f: service.escalate_complaint(current_user, c, f.on.data, f.late_reason.data),
    "statement_agreed": lambda c, f: service.record_statement_agreed(
        current_user,
        c,
        f.on.data,
        [line.strip() for line in (f.points.data or "").splitlines() if line.strip()],
    ),
    "panel_met": lambda c, f: service.record_panel_meeting(current_user, c, f.on.data),
    "panel_reported": lambda c, f: service.record_panel_report(current_user, c, f.on.data),
    "close": lambda c, f: service.close_complaint(current_user, c, f.reason.data or "", f.on.data),
    "reopen": lambda c, f: service.reopen_complaint(current_user, c, f.reason.data or "", f.on.data),
    "learning_action": lambda c, f: service.add_learning_action(
        current_user, c, f.action.data or "", _staff(f.owner.data), _require(f.due_on.data, "give a due date")
    ),
    "learning_done": lambda c, f: service.complete_learning_action(
        current_user, _item_id(f.item.data), f.evidence.data or ""
    ),
}
DONE = {
    "acknowledge": "Acknowledged.",
    "assign_lead": "Lead manager assigned.",
    "advocate": "Advocate offer recorded.",
    "extend": "Deadline extended.",
    "pause": "Clock paused.",
    "resume": "Clock resumed.",
    "start_mediation": "Mediation recorded.",
    "mediation_outcome": "Mediation outcome recorded.",
    "respond": "Response recorded.",
    "escalate": "Moved to the next stage.",
    "statement_agreed": "Statement of complaint agreed.",
    "panel_met": "Panel meeting recorded.",
    "panel_reported": "Panel report recorded.",
    "close": "Complaint closed.",
    "reopen": "Complaint reopened.",
    "learning_action": "Learning action added.",
    "learning_done": "Learning action done.",
}


def _timeline(complaint: Complaint) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                ((AuditEvent.record_type == "complaint") | (AuditEvent.record_type == "feedback"))
                & (AuditEvent.record_id == complaint.reference)
            )
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
        )
    )


def _render(complaint: Complaint, *, error: str | None = None, status: int = 200) -> tuple[str, int]:
    staff = db.session.scalars(
        select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.name)
    ).all()
    return (
        render_template(
            "staff/complaint.html",
            complaint=complaint,
            area_label=categories.area_label(complaint.feedback.service_area),
            view=service.case_view(complaint),
            procedure=service.domain().procedures.procedure(complaint.procedure),
            timeline=_timeline(complaint),
            letters=letters.letters_for(complaint),
            form=ActionForm(formdata=None),
            staff=staff,
            today=clock.today(),
            outcomes=OUTCOME_LABELS,
            pause_reasons=service.domain().procedures.pause_reasons.values(),
            may_escalate=service.may_escalate(complaint),
            can_read=service.can_read_text(current_user, complaint.feedback),
            error=error,
        ),
        status,
    )


@bp.get("/complaints")
@staff_page(service.COMPLAINT_ROLES)
def complaints() -> str:
    """Open complaints with their next deadline."""
    cases = service.open_cases()
    closed = db.session.scalars(
        select(Complaint).where(Complaint.status == "closed").order_by(Complaint.id.desc()).limit(50)
    ).all()
    return render_template("staff/complaints.html", cases=cases, closed=closed, today=clock.today())


@bp.get("/complaints/<reference>")
@staff_page(service.COMPLAINT_ROLES)
def complaint_page(reference: str) -> tuple[str, int]:
    """A case: stages, deadlines, timeline, the young person's words, and the actions."""
    complaint = service.complaint_by_reference(reference)
    page = _render(complaint)
    access_log.feedback_opened(current_user, complaint.feedback, "dashboard")
    return page


@bp.post("/complaints/<reference>/<action>")
@staff_page(service.COMPLAINT_ROLES)
def complaint_action(reference: str, action: str) -> Response | tuple[str, int]:
    """Carry out one action on the case through its service."""
    if action not in ACTIONS:
        abort(404)
    complaint = service.complaint_by_reference(reference)
    form = ActionForm()
    if not form.validate_on_submit():
        problems = "; ".join(f"{name}: {', '.join(errs)}" for name, errs in form.errors.items())
        return _render(complaint, error=f"Check the form ({problems}).", status=400)
    try:
        ACTIONS[action](complaint, form)
    except service.WordingFindings as exc:
        db.session.rollback()
        words = ", ".join(sorted({f.text for f in exc.findings}))
        message = f"{exc} ({words}). Suggested: {exc.rewritten}"
        return _render(complaint, error=message, status=exc.status_code)
    except ServiceError as exc:
        db.session.rollback()
        return _render(complaint, error=str(exc), status=exc.status_code)
    flash(DONE[action], "info")
    return redirect(url_for("dashboard.complaint_page", reference=reference), 303)


@bp.get("/complaints/<reference>/letters/<int:letter_id>")
@staff_page(service.COMPLAINT_ROLES)
def complaint_letter(reference: str, letter_id: int) -> str:
    """A letter as it was sent, ready to print."""
    complaint = service.complaint_by_reference(reference)
    return render_template(
        "staff/letter.html", complaint=complaint, letter=letters.letter(complaint, letter_id)
    )


@bp.post("/complaints/<reference>/letters/preview")
@staff_page(service.COMPLAINT_ROLES)
def complaint_letter_preview(reference: str) -> tuple[str, int]:
    """The letter the next step would send, filled from the case and checked, before it is sent."""
    complaint = service.complaint_by_reference(reference)
    kind = request.form.get("kind", "")
    if kind not in LETTER_KINDS:
        raise Invalid(f"choose a letter: {', '.join(LETTER_KINDS)}")
    draft = letters.draft(complaint, kind, response=request.form.get("text", ""))
    return render_template("staff/letter.html", complaint=complaint, draft=draft), 200
