"""What the person who complained sees with their reference and code, and asking for the next stage.

Never staff notes: the stage, the dates we promised, the letters as sent, the outcome and what
they can do next. Asking for the next stage records a dated request with their reasons on the
case and alerts the complaints team through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app

from feedbackbot.core.complaints import CaseView
from feedbackbot.core.conversation import format_date
from feedbackbot.extensions import db
from feedbackbot.models import Feedback
from feedbackbot.services import clock, outbox
from feedbackbot.services import complaints as cases
from feedbackbot.services.config import domain
from feedbackbot.services.errors import Conflict, Invalid
from feedbackbot.services.letters import SentLetter, letters_for
from feedbackbot.slack.blocks import digest_blocks

MAX_REASON_CHARS = 5000


@dataclass
class ComplainantView:
    """A complaint as the complainant may see it (empty for other kinds of feedback)."""

    stage: int | None = None
    stage_name: str | None = None
    respond_by: date | None = None
    lead: str | None = None
    outcome: str | None = None
    mediation: str | None = None
    closed: bool = False
    letters: list[SentLetter] = field(default_factory=list)
    next_stage_until: date | None = None
    can_ask_next_stage: bool = False
    next_steps: str = ""


def _day(value: date) -> str:
    return format_date(value)


def why_not_next_stage(view: CaseView, complaint_procedure: str, today: date) -> str | None:
    """Why the complainant cannot ask for the next stage today, in plain words (None when they can)."""
    procedure = domain().procedures.procedure(complaint_procedure)
    allowed, _ = cases.next_stage_status(view, procedure, today)
    stage = view.current
    if view.closed:
        return "Your complaint is closed. If you are still not happy, please contact the complaints team."
    if stage.number >= procedure.last_stage:
        if stage.responded_on is None:
            return "This is the last stage of the complaints process. We will give you our answer."
        return (
            "This was the last stage of the complaints process. If you are still not happy, you can ask "
            "the Local Government and Social Care Ombudsman to look at it."
        )
    if allowed:
        return None
    if stage.in_mediation:
        return "Mediation is still going on. When it ends, we will tell you what happens next."
    if stage.responded_on is None:
        return (
            f"We are still looking at your complaint. If we have not given you our answer by "
            f"{_day(stage.due_by)}, you can ask for the next stage."
        )
    closes = stage.request_window_closes
    if closes is not None and today > closes:
        return (
            f"The time to ask for the next stage ended on {_day(closes)}. Please contact the complaints "
            "team: they can still agree to it if there was a good reason."
        )
    return "You cannot ask for the next stage right now. Please contact the complaints team."


def view_for(feedback: Feedback) -> ComplainantView:
    """The complainant's view of their complaint, derived from the case as it stands today."""
    complaint = cases.complaint_for(feedback)
    if complaint is None:
        return ComplainantView()
    today = clock.today()
    view = cases.case_view(complaint, today)
    stage = view.current
    answered = stage.responded_on is not None
    lead = stage.lead_name or (complaint.lead_manager.name if complaint.lead_manager else None)
    why_not = why_not_next_stage(view, complaint.procedure, today)
    if why_not is None:
        until = f" by {_day(stage.request_window_closes)}" if stage.request_window_closes else ""
        steps = (
            f"If you are not happy, you can ask for Stage {stage.number + 1}{until}. Tell us why, and "
            "the complaints team will be in touch."
        )
    else:
        steps = why_not
    return ComplainantView(
        stage=stage.number,
        stage_name=stage.name,
        respond_by=None if answered or view.closed else stage.due_by,
        lead=lead,
        outcome=stage.outcome,
        mediation=stage.mediation_status,
        closed=view.closed,
        letters=letters_for(complaint),
        next_stage_until=stage.request_window_closes if answered and not view.closed else None,
        can_ask_next_stage=why_not is None,
        next_steps=steps,
    )


def request_next_stage(feedback: Feedback, reason: str) -> CaseView:
    """The complainant asks for the next stage: a dated request with their reasons, and an alert."""
    if not reason.strip():
        raise Invalid("Tell us why you are not happy, so the person looking at it next knows.")
    if len(reason) > MAX_REASON_CHARS:
        raise Invalid(f"Please keep it under {MAX_REASON_CHARS} characters.")
    complaint = cases.complaint_for(feedback)
    if complaint is None:
        raise Conflict(
            "This is not a complaint yet, so there is no next stage. If you want to make a complaint, "
            "tell us in the chat or contact the complaints team."
        )
    today = clock.today()
    why_not = why_not_next_stage(cases.case_view(complaint, today), complaint.procedure, today)
    if why_not is not None:
        raise Conflict(why_not)
    view = cases.escalate_complaint(None, complaint, today, reason=reason, commit=False)
    text, blocks = digest_blocks(
        f"Stage {view.current.number} asked for: {complaint.reference}",
        [
            (
                "Request",
                [
                    f"asked for by the complainant on /check on {today.isoformat()}",
                    f"acknowledge by {view.current.acknowledge_by.isoformat()}",
                    f"respond by {view.current.due_by.isoformat()}",
                ],
            )
        ],
        f"{current_app.config['BASE_URL'].rstrip('/')}/staff/complaints/{complaint.reference}",
    )
    row = outbox.enqueue(
        f"complaint:{complaint.reference}:stage{view.current.number}:requested",
        "complaint_request",
        current_app.config.get("SLACK_COMPLAINTS_CHANNEL"),
        {"text": text, "blocks": blocks},
        related=("complaint", complaint.id),
    )
    db.session.commit()
    if row is not None:
        outbox.send_soon(current_app._get_current_object(), [row.id])  # type: ignore[attr-defined]
    return view
