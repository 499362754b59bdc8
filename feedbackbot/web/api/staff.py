"""The staff JSON API (token auth): the queue, complaint cases and their actions, closing the loop."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, g, jsonify, request

from feedbackbot.core.complaints import CaseView, StageView
from feedbackbot.core.letters import LETTER_KINDS
from feedbackbot.models import AdvocacyReferral, Complaint, Feedback, LoopTask, StaffUser
from feedbackbot.services import access_log, advocacy, categories, letters
from feedbackbot.services import complaints as service
from feedbackbot.services.errors import Forbidden, Invalid
from feedbackbot.services.feedback import get_feedback
from feedbackbot.services.logging_for_child import log_for_child, logged_by
from feedbackbot.services.queue import work_queue
from feedbackbot.services.users import find_staff_user, staff_for_token
from feedbackbot.web.api import bp, json_body, text_field


@bp.before_request
def _authenticate_staff() -> Response | None:
    """Every /api/staff/ call needs `Authorization: Bearer <token>` (feedbackbot users token)."""
    if not request.path.startswith("/api/staff/"):
        return None
    header = request.headers.get("Authorization", "")
    staff = staff_for_token(header[7:].strip()) if header.lower().startswith("bearer ") else None
    if staff is None:
        response = jsonify(
            {"error": {"status": 401, "message": "Send a valid staff API token as a Bearer token."}}
        )
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="feedbackbot"'
        return response
    g.staff = staff
    return None


def _staff() -> StaffUser:
    return g.staff


def _date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        abort(400, description=f"`{name}` must be a date as YYYY-MM-DD.")


def _text(data: dict[str, Any], name: str, max_chars: int = 20_000) -> str:
    """An optional text field (empty when missing); 400 when not text, 413 when too long."""
    return text_field(data, name, max_chars=max_chars, required=False)


def case_json(complaint: Complaint, view: CaseView, detail: bool = False) -> dict[str, Any]:
    """JSON shape of a complaint case."""
    body: dict[str, Any] = {
        "reference": complaint.reference,
        "procedure": complaint.procedure,
        "status": "closed" if view.closed else "open",
        "stage": view.current.number,
        "lead_manager": complaint.lead_manager.name if complaint.lead_manager else None,
        "safeguarding": complaint.feedback.safeguarding,
        "service_area": complaint.feedback.service_area,
        "about_staff": complaint.feedback.about_staff,
        "deadlines": [
            {"what": d.what, "due": d.due.isoformat(), "stage": d.stage} for d in view.open_deadlines()
        ],
        "warnings": view.warnings,
    }
    if detail:
        body["stages"] = [stage_json(s) for s in view.stages]
        body["mediation"] = view.mediation_stage.mediation_status if view.mediation_stage else None
        body["letters"] = [
            {
                "id": x.id,
                "kind": x.kind,
                "stage": x.stage,
                "sent_on": x.sent_on.isoformat(),
                "method": x.method,
                "text": x.text,
            }
            for x in letters.letters_for(complaint)
        ]
        can_read = service.can_read_text(_staff(), complaint.feedback)
        body["text"] = complaint.feedback.text if can_read else None
    return body


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def stage_json(s: StageView) -> dict[str, Any]:
    """JSON shape of one stage: its dates, holds, mediation and whether it was answered in time."""
    return {
        "number": s.number,
        "received": s.received.isoformat(),
        "requested_by": s.requested_by,
        "late_request_reason": s.late_request_reason,
        "acknowledge_by": s.acknowledge_by.isoformat(),
        "acknowledged_on": _iso(s.acknowledged_on),
        "lead": s.lead_name,
        "respond_by": s.due_by.isoformat(),
        "extended": s.extended,
        "paused_working_days": s.paused_working_days,
        "clock_stopped_working_days": s.clock_stopped_working_days + s.mediation_working_days,
        "paused": s.paused_since is not None,
        "pauses": [
            {
                "from": p.start.isoformat(),
                "to": _iso(p.end),
                "reason": p.reason,
                "label": p.label,
                "stops_clock": p.stops_clock,
            }
            for p in s.pauses
        ],
        "mediation": None
        if s.mediation_started_on is None
        else {
            "started_on": s.mediation_started_on.isoformat(),
            "outcome": s.mediation_status,
            "ended_on": _iso(s.mediation_on),
        },
        "statement_agreed_on": _iso(s.statement_agreed_on),
        "points": s.points,
        "findings": s.findings,
        "responded_on": _iso(s.responded_on),
        "response_method": s.response_method,
        "response_received_on": _iso(s.response_received_on),
        "outcome": s.outcome,
        "answered_in_time": s.answered_in_time,
        "next_stage_until": _iso(s.request_window_closes),
    }


@bp.get("/staff/queue")
def staff_queue() -> Response:
    """What is due for the token's owner."""
    items = work_queue(_staff())
    return jsonify(
        {
            "items": [
                {
                    "kind": i.kind,
                    "reference": i.reference,
                    "what": i.what,
                    "due": i.due.isoformat() if i.due else None,
                    "urgency": i.urgency,
                }
                for i in items
            ]
        }
    )


@bp.get("/staff/complaints")
def staff_complaints() -> Response:
    """Open complaint cases with their deadlines."""
    service.require(_staff(), service.COMPLAINT_ROLES, "see complaints")
    return jsonify({"complaints": [case_json(c, v) for c, v in service.open_cases()]})


@bp.post("/staff/complaints")
def staff_open_complaint() -> tuple[Response, int]:
    """Open a case from feedback (`feedback_reference`) or directly (`text` and `channel`)."""
    data = json_body()
    complaint = service.open_complaint(
        _staff(),
        procedure=_text(data, "procedure"),
        relationship=_text(data, "relationship"),
        feedback_reference=_text(data, "feedback_reference", 40) or None,
        text=_text(data, "text"),
        channel=_text(data, "channel", 20),
        received_on=_date(data.get("received_on"), "received_on"),
        complainant_name=_text(data, "complainant_name", 200),
        about_child=_text(data, "about_child", 200),
        events_date=_date(data.get("events_date"), "events_date"),
        late_reason=_text(data, "late_reason"),
    )
    return jsonify(case_json(complaint, service.case_view(complaint), detail=True)), 201


@bp.get("/staff/complaints/<reference>")
def staff_complaint(reference: str) -> Response:
    """One case with its stages (the words only for roles that may read them)."""
    service.require(_staff(), service.COMPLAINT_ROLES, "see complaints")
    complaint = service.complaint_by_reference(reference)
    body = case_json(complaint, service.case_view(complaint), detail=True)
    access_log.feedback_opened(_staff(), complaint.feedback, "api")
    return jsonify(body)


ACTIONS = {
    "acknowledge": lambda s, c, d: service.acknowledge_complaint(
        s, c, _date(d.get("on"), "on"), letter=_text(d, "letter") or None, send_as_written=_as_written(d)
    ),
    "assign_lead": lambda s, c, d: service.assign_lead(s, c, _lead(d)),
    "advocate": lambda s, c, d: service.record_advocate_offer(
        s, c, _text(d, "answer"), _date(d.get("on"), "on")
    ),
    "extend": lambda s, c, d: service.extend_deadline(
        s,
        c,
        _text(d, "reason"),
        _date(d.get("on"), "on"),
        letter=_text(d, "letter") or None,
        send_as_written=_as_written(d),
    ),
    "pause": lambda s, c, d: service.pause_clock(
        s, c, _text(d, "reason", 60), _date(d.get("on"), "on"), _text(d, "note")
    ),
    "resume": lambda s, c, d: service.resume_clock(s, c, _date(d.get("on"), "on")),
    "start_mediation": lambda s, c, d: service.start_mediation(s, c, _date(d.get("on"), "on")),
    "mediation_outcome": lambda s, c, d: service.record_mediation_outcome(
        s, c, _text(d, "outcome"), _date(d.get("on"), "on")
    ),
    "respond": lambda s, c, d: service.respond_to_complaint(
        s,
        c,
        _text(d, "outcome"),
        _text(d, "text"),
        _date(d.get("on"), "on"),
        method=_text(d, "method", 20) or None,
        findings=_findings(d),
        letter=_text(d, "letter") or None,
        send_as_written=_as_written(d),
    ),
    "escalate": lambda s, c, d: service.escalate_complaint(
        s, c, _date(d.get("on"), "on"), _text(d, "late_reason"), reason=_text(d, "reason")
    ),
    "statement_agreed": lambda s, c, d: service.record_statement_agreed(
        s, c, _date(d.get("on"), "on"), _points(d)
    ),
    "panel_met": lambda s, c, d: service.record_panel_meeting(s, c, _date(d.get("on"), "on")),
    "panel_reported": lambda s, c, d: service.record_panel_report(s, c, _date(d.get("on"), "on")),
    "close": lambda s, c, d: service.close_complaint(s, c, _text(d, "reason"), _date(d.get("on"), "on")),
    "reopen": lambda s, c, d: service.reopen_complaint(s, c, _text(d, "reason"), _date(d.get("on"), "on")),
}


def _as_written(data: dict[str, Any]) -> bool:
    return data.get("send_as_written") is True


def _points(data: dict[str, Any]) -> list[str] | None:
    points = data.get("points")
    if points is None:
        return None
    if not isinstance(points, list) or not all(isinstance(p, str) and len(p) <= 2000 for p in points):
        raise Invalid("`points` must be a list of the points of complaint, as text")
    return points


def _findings(data: dict[str, Any]) -> list[dict[str, Any]] | None:
    findings = data.get("findings")
    if findings is None:
        return None
    if not isinstance(findings, list) or not all(
        isinstance(f, dict) and isinstance(f.get("point"), str | int) and isinstance(f.get("finding"), str)
        for f in findings
    ):
        raise Invalid("`findings` must be a list of {point, finding} (the point's text or number)")
    return findings


def _lead(data: dict[str, Any]) -> StaffUser:
    lead = find_staff_user(_text(data, "lead_email"))
    if lead is None:
        raise Invalid("`lead_email` must be a member of staff's email")
    return lead


@bp.post("/staff/complaints/<reference>/letters/preview")
def staff_letter_preview(reference: str) -> Response:
    """A letter filled from the case as it stands, with the glossary's findings, before it is sent."""
    service.require(_staff(), service.COMPLAINT_ROLES, "write to complainants")
    data = json_body()
    kind = _text(data, "kind", 40)
    if kind not in LETTER_KINDS:
        raise Invalid(f"`kind` must be one of {', '.join(LETTER_KINDS)}")
    complaint = service.complaint_by_reference(reference)
    draft = letters.draft(complaint, kind, response=_text(data, "text"))
    return jsonify(
        {
            "kind": draft.kind,
            "text": draft.text,
            "findings": [f.to_dict() for f in draft.findings],
            "rewritten": draft.rewritten,
        }
    )


@bp.post("/staff/complaints/<reference>/<action>")
def staff_complaint_action(reference: str, action: str) -> Response:
    """Carry out an action; a refusal by the procedure is 409 with the reason."""
    if action not in ACTIONS:
        abort(404, description=f"Unknown action. Actions: {', '.join(ACTIONS)}.")
    data = json_body()
    complaint = service.complaint_by_reference(reference)
    ACTIONS[action](_staff(), complaint, data)
    return jsonify(case_json(complaint, service.case_view(complaint), detail=True))


@bp.post("/staff/feedback/<reference>/outcome")
def staff_feedback_outcome(reference: str) -> Response:
    """Record what came of a compliment, idea, question or informal concern."""
    data = json_body()
    task = service.record_outcome(_staff(), get_feedback(reference), _text(data, "outcome"))
    return jsonify({"reference": reference.upper(), "loop_task": task.id if task else None})


def loop_json(task: LoopTask) -> dict[str, Any]:
    """JSON shape of a closing-the-loop task."""
    return {
        "id": task.id,
        "reference": task.feedback.reference,
        "kind": task.feedback.kind,
        "due_on": task.due_on.isoformat(),
        "status": task.status,
        "outcome": task.outcome,
    }


@bp.get("/staff/loop-tasks")
def staff_loop_tasks() -> Response:
    """Closing-the-loop tasks still to do."""
    service.require(_staff(), service.LOOP_ROLES, "see closing-the-loop tasks")
    return jsonify({"loop_tasks": [loop_json(t) for t in service.open_loop_tasks()]})


@bp.post("/staff/loop-tasks/<int:task_id>/close")
def staff_close_loop(task_id: int) -> Response:
    """Tell the young person; 422 with the glossary findings unless `send_as_written` is true."""
    data = json_body()
    try:
        reply = service.close_loop_task(
            _staff(),
            service.loop_task(task_id),
            _text(data, "message"),
            _text(data, "method") or "web",
            send_as_written=data.get("send_as_written") is True,
        )
    except service.WordingFindings as exc:
        response = jsonify(
            {
                "error": {"status": 422, "message": str(exc)},
                "findings": [f.to_dict() for f in exc.findings],
                "rewritten": exc.rewritten,
            }
        )
        response.status_code = 422
        return response
    return jsonify({"id": task_id, "status": "done", "reply": reply.text})


def logged_json(feedback: Feedback) -> dict[str, Any]:
    """JSON shape of a feedback record (as logged on a child's behalf, or categorised)."""
    return {
        "reference": feedback.reference,
        "kind": feedback.kind,
        "channel": feedback.channel,
        "status": feedback.status,
        "received": feedback.received_at.isoformat(),
        "service_area": feedback.service_area,
        "service_area_label": categories.area_label(feedback.service_area),
        "about_staff": feedback.about_staff,
    }


def _about_staff(data: dict[str, Any], *, required: bool) -> bool:
    """`about_staff` as a JSON true or false (false when optional and missing)."""
    value = data.get("about_staff")
    if value is None and not required:
        return False
    if not isinstance(value, bool):
        raise Invalid("`about_staff` must be true or false")
    return value


@bp.get("/staff/service-areas")
def staff_service_areas() -> Response:
    """The Trust's service areas feedback is categorised by, as configured."""
    return jsonify({"service_areas": [{"id": a.id, "label": a.label} for a in categories.service_areas()]})


@bp.post("/staff/feedback/<reference>/categories")
def staff_categorise_feedback(reference: str) -> Response:
    """Set the service area (null for none) and whether it is about a member of staff."""
    data = json_body()
    if "service_area" not in data:
        raise Invalid("`service_area` is required: a configured area's id, or null")
    area = data["service_area"]
    if area is not None and not isinstance(area, str):
        raise Invalid("`service_area` must be a configured area's id, or null")
    feedback = categories.categorise_feedback(
        reference, area, _about_staff(data, required=True), staff=_staff()
    )
    return jsonify(logged_json(feedback))


@bp.post("/staff/feedback")
def staff_log_feedback() -> tuple[Response, int]:
    """Any member of staff (a worker too) logs feedback a child gave them, on the child's behalf."""
    data = json_body()
    feedback = log_for_child(
        _staff(),
        kind=_text(data, "kind", 20),
        text=_text(data, "text"),
        channel=_text(data, "channel", 20),
        child_name=_text(data, "child_name", 100) or None,
        received_on=_date(data.get("received_on"), "received_on"),
        service_area=_text(data, "service_area", 40) or None,
        about_staff=_about_staff(data, required=False),
    )
    return jsonify(logged_json(feedback)), 201


@bp.get("/staff/feedback/mine")
def staff_logged_feedback() -> Response:
    """What the token's owner logged on children's behalf."""
    return jsonify({"feedback": [logged_json(f) for f in logged_by(_staff())]})


def referral_json(referral: AdvocacyReferral) -> dict[str, Any]:
    """JSON shape of an advocacy referral."""
    due = advocacy.contact_by(referral)
    return {
        "id": referral.id,
        "reference": referral.feedback.reference,
        "offered_on": referral.offered_on.isoformat(),
        "offered_by": referral.offered_by,
        "answer": referral.answer,
        "accepted_on": _iso(referral.accepted_on),
        "referred_on": _iso(referral.referred_on),
        "referred_to": referral.referred_to,
        "contact_by": _iso(due),
        "contact_made_on": _iso(referral.contact_made_on),
    }


@bp.get("/staff/advocacy")
def staff_advocacy() -> Response:
    """Accepted advocate offers where the advocate has not yet made contact."""
    if _staff().role not in advocacy.ADVOCACY_ROLES:
        raise Forbidden(f"Your role ({_staff().role}) cannot see advocacy referrals.")
    return jsonify({"referrals": [referral_json(r) for r in advocacy.open_referrals()]})


@bp.post("/staff/advocacy/<int:referral_id>/referred")
def staff_advocacy_referred(referral_id: int) -> Response:
    """Record that the child was referred to an advocacy service (`to`, `on`)."""
    data = json_body()
    referral = advocacy.refer_on(
        _staff(), advocacy.get_referral(referral_id), _text(data, "to", 200), _date(data.get("on"), "on")
    )
    return jsonify(referral_json(referral))


@bp.post("/staff/advocacy/<int:referral_id>/contact")
def staff_advocacy_contact(referral_id: int) -> Response:
    """Record the day the advocate made contact (`on`)."""
    data = json_body()
    referral = advocacy.record_contact(
        _staff(), advocacy.get_referral(referral_id), _date(data.get("on"), "on")
    )
    return jsonify(referral_json(referral))
