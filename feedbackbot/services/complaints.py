"""Complaints, closing the loop, informal concerns and learning actions: every change audited.

Each verb checks the member of staff's role, checks the procedure's rule (core/complaints.py),
records a dated event, writes the audit trail and commits. Deadlines are never stored as the
truth: they are derived from the events with the current configuration whenever they are read.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from feedbackbot.core.calendar import local_date
from feedbackbot.core.complaints import (
    CaseView,
    Event,
    RuleError,
    check,
    check_findings,
    derive,
    next_stage_status,
    normalise_findings,
    overall_outcome,
    suggest_procedure,
)
from feedbackbot.core.glossary import Finding
from feedbackbot.extensions import db
from feedbackbot.models import (
    CaseStatus,
    Complaint,
    ComplaintEvent,
    Feedback,
    FeedbackReply,
    LearningAction,
    LoopStatus,
    LoopTask,
    Procedure,
    Relationship,
    ReplyMethod,
    Role,
    StaffUser,
    Status,
)
from feedbackbot.models.base import storable_id
from feedbackbot.services import advocacy, clock, letters
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.config import domain
from feedbackbot.services.errors import Conflict, Forbidden, Invalid, NotFound, ServiceError
from feedbackbot.services.feedback import get_feedback, record_feedback
from feedbackbot.services.glossary import checker, prepare_outgoing

COMPLAINT_ROLES = frozenset({Role.COMPLAINTS.value, Role.MANAGER.value, Role.ADMIN.value})
LOOP_ROLES = frozenset({Role.PARTICIPATION.value, Role.MANAGER.value, Role.ADMIN.value})
# Who may read the words of feedback that holds a disclosure of harm.
SAFEGUARDING_TEXT_ROLES = frozenset({Role.COMPLAINTS.value, Role.MANAGER.value, Role.ADMIN.value})
YOUNG_PERSON_CHANNELS = frozenset({"web_chat", "api", "in_person"})


class WordingFindings(ServiceError):
    """The message to a young person uses words they asked us not to; shown before it is sent."""

    status_code = 422

    def __init__(self, findings: list[Finding], rewritten: str) -> None:
        super().__init__(
            f"{len(findings)} word(s) in this message are not the ones young people chose; "
            "change them, or confirm it should go as written"
        )
        self.findings = findings
        self.rewritten = rewritten


# --- roles and look-ups --------------------------------------------------------------------------


def require(staff: StaffUser, roles: frozenset[str], what: str) -> None:
    """Refuse a member of staff whose role does not cover this."""
    if staff.role not in roles:
        raise Forbidden(f"Your role ({staff.role}) cannot {what}.")


def can_read_text(staff: StaffUser, feedback: Feedback) -> bool:
    """The words of a safeguarding-marked record go only to the roles that need them."""
    return not feedback.safeguarding or staff.role in SAFEGUARDING_TEXT_ROLES


def from_young_person(feedback: Feedback, complaint: Complaint | None = None) -> bool:
    """Feedback a young person gave (in the chat or in person) gets a closing-the-loop task."""
    if complaint is not None:
        return complaint.complainant_relationship == Relationship.SELF.value
    return feedback.channel in YOUNG_PERSON_CHANNELS


def complaint_by_reference(reference: str) -> Complaint:
    """Find a complaint by its reference."""
    feedback = get_feedback(reference)
    complaint = db.session.scalars(select(Complaint).where(Complaint.feedback_id == feedback.id)).first()
    if complaint is None:
        raise NotFound(f"{feedback.reference} is not a complaint case yet")
    return complaint


def complaint_for(feedback: Feedback) -> Complaint | None:
    """The complaint case opened from this feedback, if any."""
    return db.session.scalars(select(Complaint).where(Complaint.feedback_id == feedback.id)).first()


def _events(complaint: Complaint) -> list[Event]:
    return [Event(e.kind, e.stage, e.occurred_on, e.data or {}) for e in complaint.events]


def case_view(complaint: Complaint, today: date | None = None) -> CaseView:
    """The case as it stands today, derived from its events and today's configuration."""
    procedure = domain().procedures.procedure(complaint.procedure)
    return derive(
        procedure, domain().calendar, _events(complaint), today or clock.today(), domain().procedures
    )


def open_cases() -> list[tuple[Complaint, CaseView]]:
    """Every open complaint with its derived state."""
    today = clock.today()
    complaints = db.session.scalars(
        select(Complaint).where(Complaint.status == CaseStatus.OPEN.value).order_by(Complaint.id)
    )
    return [(c, case_view(c, today)) for c in complaints]


def reindex(complaint: Complaint, view: CaseView | None = None) -> None:
    """Keep the clock's index (soonest open deadline) in step with the derived deadlines."""
    view = view or case_view(complaint)
    due = view.open_deadlines()
    complaint.next_deadline_on = min(d.due for d in due) if due else None


def refresh_deadline_index() -> int:
    """Re-derive every open case's soonest deadline (after a configuration or holiday change)."""
    count = 0
    for complaint, view in open_cases():
        reindex(complaint, view)
        count += 1
    db.session.commit()
    return count


def writer_relationship(feedback: Feedback) -> str | None:
    """Who is complaining, as far as we know: what they told the chat, else the young person for
    the chat and a child's feedback a member of staff logged, else unknown."""
    if feedback.writer:
        return feedback.writer
    if feedback.channel in {"web_chat", "api"} or feedback.logged_by_id is not None:
        return Relationship.SELF.value
    return None


def suggested_procedure(feedback: Feedback, relationship: str | None = None) -> str:
    """Which procedure the service suggests (a person decides)."""
    return suggest_procedure(channel=feedback.channel, relationship=relationship, topic=feedback.topic)


# --- opening a complaint -------------------------------------------------------------------------


def open_complaint(
    staff: StaffUser,
    *,
    procedure: str,
    relationship: str,
    feedback_reference: str | None = None,
    text: str | None = None,
    channel: str | None = None,
    received_on: date | None = None,
    complainant_name: str | None = None,
    about_child: str | None = None,
    events_date: date | None = None,
    late_reason: str | None = None,
) -> Complaint:
    """Open a case from a feedback record, or directly (a letter, a call, on a child's behalf)."""
    require(staff, COMPLAINT_ROLES, "open complaints")
    if procedure not in {p.value for p in Procedure}:
        raise Invalid("the procedure must be statutory or corporate")
    if relationship not in {r.value for r in Relationship}:
        raise Invalid(f"who is complaining must be one of {', '.join(r.value for r in Relationship)}")
    today = clock.today()
    actor = Actor.staff(staff)
    if feedback_reference:
        feedback = get_feedback(feedback_reference)
        if complaint_for(feedback) is not None:
            raise Conflict(f"{feedback.reference} is already a complaint case")
        if feedback.kind != "complaint":
            record_event(
                actor,
                "feedback.kind_changed",
                "feedback",
                feedback.reference,
                before={"kind": feedback.kind},
                after={"kind": "complaint"},
            )
            feedback.kind = "complaint"
    else:
        if not (text or "").strip():
            raise Invalid("say what the complaint is about")
        if channel not in {"phone", "email", "letter", "in_person", "web_chat", "api"}:
            raise Invalid("say how the complaint arrived (phone, email, letter or in person)")
        if received_on and received_on > today:
            raise Invalid("the date received is in the future")
        feedback = record_feedback(
            kind="complaint",
            text=text or "",
            channel=channel,
            anonymous=False,
            actor=actor,
            commit=False,
            received_at=clock.now() if not received_on else _noon(received_on),
        )
        feedback.name = complainant_name
    received = received_on or local_date(feedback.received_at, current_app.config["TIMEZONE"])
    limit_months = domain().procedures.procedure(procedure).time_limit_months
    if (
        events_date
        and events_date < _months_before(received, limit_months)
        and not (late_reason or "").strip()
    ):
        raise Invalid(
            f"the events were more than {limit_months} months before the complaint; record why it is "
            "being considered anyway"
        )
    complaint = Complaint(
        feedback=feedback,
        procedure=procedure,
        complainant_name=(complainant_name or feedback.name or None),
        complainant_relationship=relationship,
        about_child=about_child or None,
        events_date=events_date,
        late_reason=(late_reason or "").strip() or None,
    )
    db.session.add(complaint)
    complaint.events.append(ComplaintEvent(stage=1, kind="received", occurred_on=received, actor_id=staff.id))
    feedback.status = Status.IN_PROGRESS.value
    db.session.flush()
    reindex(complaint)
    record_event(
        actor,
        "complaint.opened",
        "complaint",
        feedback.reference,
        after={"procedure": procedure, "relationship": relationship, "received": received.isoformat()},
    )
    db.session.commit()
    return complaint


def _noon(day: date) -> datetime:
    """Midday on a day in the Trust's time zone: the moment a backdated complaint counts as received."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    try:
        return day.replace(year=year, month=month + 1)
    except ValueError:  # 29-31 of a shorter month
        return day.replace(year=year, month=month + 1, day=28)


# --- the steps of a case ---------------------------------------------------------------------------


def _step(
    staff: StaffUser | None,
    complaint: Complaint,
    action: str,
    kind: str,
    on: date | None,
    data: dict[str, Any] | None = None,
    *,
    commit: bool = True,
    **params: Any,
) -> CaseView:
    """Check the rule, record the event and the audit trail, commit, and give the new view.

    `commit=False` leaves the transaction open for a caller that changes more in the same step.
    `staff=None` is the complainant acting for themselves (asking for the next stage).
    """
    if staff is not None:
        require(staff, COMPLAINT_ROLES, "work on complaints")
    today = clock.today()
    on = on or today
    before = case_view(complaint, today)
    config = domain().procedures
    try:
        check(before, config.procedure(complaint.procedure), action, on, today, config, **params)
    except RuleError as exc:
        raise Conflict(str(exc)) from None
    stage = before.current.number
    complaint.events.append(
        ComplaintEvent(
            stage=stage, kind=kind, occurred_on=on, actor_id=staff.id if staff else None, data=data or {}
        )
    )
    db.session.flush()
    after = case_view(complaint, today)
    reindex(complaint, after)
    record_event(
        Actor.staff(staff) if staff else Actor.system("complainant"),
        f"complaint.{kind}",
        "complaint",
        complaint.reference,
        before=_summary(before),
        after={
            **_summary(after),
            "on": on.isoformat(),
            **{k: v for k, v in (data or {}).items() if k != "text"},
        },
    )
    if commit:
        db.session.commit()
    return after


def _summary(view: CaseView) -> dict[str, Any]:
    stage = view.current
    return {
        "stage": stage.number,
        "closed": view.closed,
        "acknowledged_on": stage.acknowledged_on.isoformat() if stage.acknowledged_on else None,
        "due_by": stage.due_by.isoformat(),
        "paused": stage.paused_since is not None,
        "responded_on": stage.responded_on.isoformat() if stage.responded_on else None,
    }


def acknowledge_complaint(
    staff: StaffUser,
    complaint: Complaint,
    on: date | None = None,
    *,
    letter: str | None = None,
    send_as_written: bool = False,
) -> CaseView:
    """Record that the complainant was told we have their complaint, and send the acknowledgement
    (who leads, by when, the advocate offer): the template filled from the case, or `letter`."""
    view = _step(staff, complaint, "acknowledge", "acknowledged", on, commit=False)
    letters.send_letter(staff, complaint, "acknowledgement", on, text=letter, send_as_written=send_as_written)
    db.session.commit()
    return view


def assign_lead(staff: StaffUser, complaint: Complaint, lead: StaffUser) -> CaseView:
    """Name the manager leading the complaint."""
    if not lead.active:
        raise Invalid(f"{lead.name}'s account is not active")
    view = _step(
        staff,
        complaint,
        "assign_lead",
        "lead_assigned",
        None,
        {"lead": lead.name, "lead_id": lead.id},
        commit=False,
        lead_id=lead.id,
    )
    complaint.lead_manager_id = lead.id
    db.session.commit()
    return view


def record_advocate_offer(
    staff: StaffUser, complaint: Complaint, answer: str, on: date | None = None
) -> CaseView:
    """Record that an advocate was offered (s.26A) and the answer; an acceptance is tracked to contact."""
    view = _step(
        staff, complaint, "advocate", "advocate", on, {"answer": answer}, commit=False, answer=answer
    )
    advocacy.record_offer(
        complaint.feedback, answer, on=on, offered_by=staff.name or staff.email, actor=Actor.staff(staff)
    )
    db.session.commit()
    return view


def extend_deadline(
    staff: StaffUser,
    complaint: Complaint,
    reason: str,
    on: date | None = None,
    *,
    letter: str | None = None,
    send_as_written: bool = False,
) -> CaseView:
    """Extend the current stage to its longest allowed timescale (a reason is required) and tell
    the complainant why, the new date and the Ombudsman's details."""
    view = _step(
        staff, complaint, "extend", "extended", on, {"reason": reason.strip()}, commit=False, reason=reason
    )
    letters.send_letter(staff, complaint, "extension", on, text=letter, send_as_written=send_as_written)
    db.session.commit()
    return view


def pause_clock(
    staff: StaffUser, complaint: Complaint, reason: str, on: date | None = None, note: str = ""
) -> CaseView:
    """Put the case on hold for a configured reason; only clock-stopping reasons move the deadlines."""
    reason = reason.strip()
    data = {"reason": reason, "note": note.strip()} if note.strip() else {"reason": reason}
    return _step(staff, complaint, "pause", "paused", on, data, reason=reason)


def resume_clock(staff: StaffUser, complaint: Complaint, on: date | None = None) -> CaseView:
    """Start the clock again."""
    return _step(staff, complaint, "resume", "resumed", on)


def start_mediation(staff: StaffUser, complaint: Complaint, on: date | None = None) -> CaseView:
    """Record that mediation was offered on the Stage 2 request and started (the request keeps its date)."""
    return _step(staff, complaint, "start_mediation", "mediation_started", on)


def record_mediation_outcome(
    staff: StaffUser, complaint: Complaint, outcome: str, on: date | None = None
) -> CaseView:
    """How mediation ended: resolved or withdrawn closes the case; not resolved goes on to Stage 2."""
    view = _step(
        staff,
        complaint,
        "mediation_outcome",
        "mediation_outcome",
        on,
        {"outcome": outcome},
        commit=False,
        outcome=outcome,
    )
    if outcome in {"resolved", "withdrawn"}:
        reason = "Resolved through mediation" if outcome == "resolved" else "Withdrawn during mediation"
        return close_complaint(staff, complaint, reason, on)
    db.session.commit()
    return view


def record_statement_agreed(
    staff: StaffUser, complaint: Complaint, on: date | None = None, points: list[str] | None = None
) -> CaseView:
    """Record the date the Stage 2 statement of complaint was agreed, and the points it lists."""
    data = {"points": [p.strip() for p in points]} if points is not None else None
    return _step(staff, complaint, "statement_agreed", "statement_agreed", on, data, points=points)


def record_panel_meeting(staff: StaffUser, complaint: Complaint, on: date | None = None) -> CaseView:
    """Record the Stage 3 review panel meeting."""
    return _step(staff, complaint, "panel_met", "panel_met", on)


def record_panel_report(staff: StaffUser, complaint: Complaint, on: date | None = None) -> CaseView:
    """Record the review panel's report (the Trust responds within its timescale from here)."""
    return _step(staff, complaint, "panel_reported", "panel_reported", on)


def respond_to_complaint(
    staff: StaffUser,
    complaint: Complaint,
    outcome: str,
    text: str,
    on: date | None = None,
    *,
    method: str | None = None,
    findings: list[dict[str, Any]] | None = None,
    letter: str | None = None,
    send_as_written: bool = False,
) -> CaseView:
    """Record the response, how it was sent and its outcome (per point at Stage 2), and send the
    outcome letter (or the final one, with the Ombudsman); a young person's complaint gets a
    closing-the-loop task. The words are checked against the glossary first."""
    wording, rewritten = check_message(text)
    if wording and not send_as_written:
        raise WordingFindings(wording, rewritten)
    view = case_view(complaint)
    when = on or clock.today()
    method = method or default_method(complaint)
    if method not in {m.value for m in ReplyMethod}:
        raise Invalid("how the response was sent must be letter, email, web, phone or in person")
    data: dict[str, Any] = {"outcome": outcome, "text": text.strip(), "method": method}
    points = view.current.points
    if points and isinstance(findings, list):
        try:
            check_findings(points, findings)
        except RuleError as exc:
            raise Conflict(str(exc)) from None
        data["findings"] = normalise_findings(points, findings)
        outcome = outcome or overall_outcome(data["findings"])
        data["outcome"] = outcome
    if view.current.paused_since is not None and not view.closed and view.current.responded_on is None:
        _step(staff, complaint, "resume", "resumed", max(when, view.current.paused_since), commit=False)
    view = _step(
        staff,
        complaint,
        "respond",
        "responded",
        on,
        data,
        commit=False,
        outcome=outcome,
        text=text,
        findings=findings,
    )
    letters.send_letter(
        staff,
        complaint,
        letters.outcome_kind(complaint, view),
        on,
        text=letter,
        method=method,
        send_as_written=send_as_written,
        response=text,
    )
    feedback = complaint.feedback
    feedback.status = Status.RESOLVED.value
    feedback.outcome = f"Stage {view.current.number}: {outcome.replace('_', ' ')}"
    feedback.outcome_at = clock.now()
    feedback.outcome_by_id = staff.id
    if from_young_person(feedback, complaint):
        _ensure_loop_task(feedback, feedback.outcome)
    db.session.commit()
    return view


def may_escalate(complaint: Complaint) -> tuple[bool, str]:
    """Whether the next stage may be asked for today, and if not, why not."""
    config = domain().procedures
    return next_stage_status(case_view(complaint), config.procedure(complaint.procedure), clock.today())


def default_method(complaint: Complaint) -> str:
    """How a response goes when nobody says: on the web for chat complaints, otherwise by letter."""
    return "web" if complaint.feedback.channel in {"web_chat", "api"} else "letter"


def escalate_complaint(
    staff: StaffUser | None,
    complaint: Complaint,
    on: date | None = None,
    late_reason: str | None = None,
    *,
    reason: str | None = None,
    commit: bool = True,
) -> CaseView:
    """Move to the next stage at the complainant's request (within the window, or say why not).

    `staff=None` is the complainant asking for themselves (on /check); `reason` is theirs.
    """
    on = on or clock.today()
    by = "staff" if staff is not None else "complainant"
    request = {"late_reason": (late_reason or "").strip() or None, "by": by}
    if reason and reason.strip():
        request["reason"] = reason.strip()
    view = _step(
        staff,
        complaint,
        "escalate",
        "escalated",
        on,
        request,
        commit=False,
        late_reason=late_reason,
    )
    next_stage = view.current.number + 1
    complaint.events.append(
        ComplaintEvent(
            stage=next_stage,
            kind="received",
            occurred_on=on,
            actor_id=staff.id if staff else None,
            data=request,
        )
    )
    complaint.feedback.status = Status.IN_PROGRESS.value
    db.session.flush()
    view = case_view(complaint)
    reindex(complaint, view)
    if commit:
        db.session.commit()
    return view


def close_complaint(staff: StaffUser, complaint: Complaint, reason: str, on: date | None = None) -> CaseView:
    """Close the case (answered and not taken further, withdrawn, resolved by mediation...)."""
    view = _step(
        staff, complaint, "close", "closed", on, {"reason": reason.strip()}, commit=False, reason=reason
    )
    complaint.status = CaseStatus.CLOSED.value
    complaint.feedback.status = Status.CLOSED.value
    complaint.next_deadline_on = None
    db.session.commit()
    return view


def reopen_complaint(staff: StaffUser, complaint: Complaint, reason: str, on: date | None = None) -> CaseView:
    """Reopen a closed case."""
    view = _step(
        staff, complaint, "reopen", "reopened", on, {"reason": reason.strip()}, commit=False, reason=reason
    )
    complaint.status = CaseStatus.OPEN.value
    complaint.feedback.status = Status.IN_PROGRESS.value
    db.session.commit()
    return view


# --- learning actions ------------------------------------------------------------------------------


def add_learning_action(
    staff: StaffUser, complaint: Complaint, action: str, owner: StaffUser, due_on: date
) -> LearningAction:
    """Something the Trust will change because of this complaint, with an owner and a date."""
    require(staff, COMPLAINT_ROLES, "add learning actions")
    if not action.strip():
        raise Invalid("describe the learning action")
    if due_on < clock.today():
        raise Invalid("the due date is in the past")
    item = LearningAction(
        complaint=complaint, action=action.strip(), owner_id=owner.id, owner_name=owner.name, due_on=due_on
    )
    db.session.add(item)
    db.session.flush()
    record_event(
        Actor.staff(staff),
        "learning_action.added",
        "complaint",
        complaint.reference,
        after={"learning_action": item.id, "owner": owner.name, "due_on": due_on.isoformat()},
    )
    db.session.commit()
    return item


def complete_learning_action(staff: StaffUser, action_id: int, evidence: str) -> LearningAction:
    """Mark a learning action done, with the evidence that it was."""
    item = db.session.get(LearningAction, action_id) if storable_id(action_id) else None
    if item is None:
        raise NotFound(f"there is no learning action {action_id}")
    if staff.role not in COMPLAINT_ROLES and staff.id != item.owner_id:
        raise Forbidden("only its owner or the complaints team can complete a learning action")
    if item.done:
        raise Conflict("that learning action is already done")
    if not evidence.strip():
        raise Invalid("say what shows it was done")
    item.done, item.done_at, item.evidence = True, clock.now(), evidence.strip()
    record_event(
        Actor.staff(staff),
        "learning_action.done",
        "complaint",
        item.complaint.reference,
        after={"learning_action": item.id},
    )
    db.session.commit()
    return item


# --- outcomes, informal concerns and closing the loop ----------------------------------------------


def _ensure_loop_task(feedback: Feedback, outcome: str) -> LoopTask:
    existing = db.session.scalars(
        select(LoopTask).where(LoopTask.feedback_id == feedback.id, LoopTask.status == LoopStatus.OPEN.value)
    ).first()
    if existing is not None:
        existing.outcome = outcome
        return existing
    days = domain().procedures.closing_the_loop_within
    task = LoopTask(
        feedback=feedback, outcome=outcome, due_on=domain().calendar.add_working_days(clock.today(), days)
    )
    db.session.add(task)
    db.session.flush()
    record_event(
        Actor.system("services"),
        "loop_task.created",
        "feedback",
        feedback.reference,
        after={"loop_task": task.id, "due_on": task.due_on.isoformat()},
    )
    return task


def record_outcome(staff: StaffUser, feedback: Feedback, outcome: str) -> LoopTask | None:
    """Say what came of a compliment, idea, question or concern; the young person will be told."""
    if complaint_for(feedback) is not None:
        raise Conflict(f"{feedback.reference} is a complaint case: record its response on the case")
    roles = COMPLAINT_ROLES | LOOP_ROLES
    require(staff, roles, "record outcomes")
    if not outcome.strip():
        raise Invalid("say what came of it")
    before = {"status": feedback.status, "outcome": feedback.outcome}
    feedback.outcome, feedback.outcome_at, feedback.outcome_by_id = outcome.strip(), clock.now(), staff.id
    feedback.status = Status.RESOLVED.value
    task = _ensure_loop_task(feedback, feedback.outcome) if from_young_person(feedback) else None
    action = "concern.resolved" if feedback.kind == "concern" else "feedback.outcome_recorded"
    record_event(
        Actor.staff(staff),
        action,
        "feedback",
        feedback.reference,
        before=before,
        after={"status": feedback.status, "outcome": feedback.outcome},
    )
    db.session.commit()
    return task


def resolve_concern(staff: StaffUser, feedback: Feedback, resolution: str) -> LoopTask | None:
    """Resolve an informal concern locally and record how (the log promised to Ofsted)."""
    if feedback.kind != "concern":
        raise Invalid(f"{feedback.reference} is a {feedback.kind}, not an informal concern")
    return record_outcome(staff, feedback, resolution)


def open_loop_tasks() -> list[LoopTask]:
    """Closing-the-loop tasks still to do, soonest first."""
    return list(
        db.session.scalars(
            select(LoopTask)
            .where(LoopTask.status == LoopStatus.OPEN.value)
            .order_by(LoopTask.due_on, LoopTask.id)
        )
    )


def loop_task(task_id: int) -> LoopTask:
    """Find a loop task."""
    task = db.session.get(LoopTask, task_id) if storable_id(task_id) else None
    if task is None:
        raise NotFound(f"there is no closing-the-loop task {task_id}")
    return task


def check_message(message: str) -> tuple[list[Finding], str]:
    """The glossary findings for a message to a young person, and the suggested rewrite."""
    found = checker().check(message)
    return found, checker().rewrite(message, found)


def close_loop_task(
    staff: StaffUser, task: LoopTask, message: str, method: str, *, send_as_written: bool = False
) -> FeedbackReply:
    """Tell the young person what happened; the wording is checked against the glossary first."""
    require(staff, LOOP_ROLES, "close the loop")
    if task.status == LoopStatus.DONE.value:
        raise Conflict("this task is already done")
    if method not in {m.value for m in ReplyMethod}:
        raise Invalid(f"how they were told must be one of {', '.join(m.value for m in ReplyMethod)}")
    if not message.strip():
        raise Invalid("write what the young person was told")
    findings, rewritten = check_message(message)
    if findings and not send_as_written:
        raise WordingFindings(findings, rewritten)
    text = prepare_outgoing(message)
    reply = FeedbackReply(
        feedback=task.feedback, text=text, method=method, author_id=staff.id, sent_at=clock.now()
    )
    db.session.add(reply)
    task.status, task.done_at, task.done_by_id = LoopStatus.DONE.value, clock.now(), staff.id
    task.message, task.method = text, method
    record_event(
        Actor.staff(staff),
        "loop_task.closed",
        "feedback",
        task.feedback.reference,
        after={"loop_task": task.id, "method": method, "glossary_findings_kept": len(findings)},
    )
    db.session.commit()
    return reply


def overdue_by(due: date, today: date) -> int:
    """Calendar days overdue (0 when not overdue)."""
    return max((today - due).days, 0)


def working_days_left(due: date, today: date) -> int:
    """Working days from today to a deadline (negative when overdue)."""
    calendar = domain().calendar
    if due >= today:
        return calendar.working_days_between(today, due)
    return -calendar.working_days_between(due, today)
