"""Feedback from anywhere: any member of staff logs what a child told them, on the child's behalf.

Most children's feedback reaches a social worker or IRO in person, by phone, letter or email. A
`worker` (social workers, IROs) may log it and see what they logged, and nothing else; it then
reaches the team whose work it is (complaints, participation) like anything sent in the chat.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import Feedback, Role, StaffUser
from feedbackbot.services import clock
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.errors import Forbidden, Invalid
from feedbackbot.services.feedback import get_feedback, record_feedback

LOGGED_CHANNELS = ("in_person", "phone", "letter", "email")
# Roles that see every record; a worker sees only what they logged.
ALL_FEEDBACK_ROLES = frozenset(r.value for r in Role if r is not Role.WORKER)


def log_for_child(
    staff: StaffUser,
    *,
    kind: str,
    text: str,
    channel: str,
    child_name: str | None = None,
    topic: str | None = None,
    received_on: date | None = None,
    service_area: str | None = None,
    about_staff: bool = False,
) -> Feedback:
    """Log a compliment, idea, concern, complaint or question a child gave a member of staff."""
    if not staff.active:
        raise Forbidden("Your account is not active.")
    if channel not in LOGGED_CHANNELS:
        raise Invalid(f"say how the child told you: {', '.join(LOGGED_CHANNELS)}")
    today = clock.today()
    if received_on is not None and received_on > today:
        raise Invalid("the date they told you is in the future")
    from feedbackbot.services.categories import apply_categories, check_service_area
    from feedbackbot.services.complaints import _noon  # the Trust's midday on that day

    check_service_area(service_area)  # refused before a reference is used up

    feedback = record_feedback(
        kind=kind,
        text=text,
        channel=channel,
        anonymous=not (child_name or "").strip(),
        received_at=_noon(received_on) if received_on else clock.now(),
        actor=Actor.staff(staff),
        commit=False,
    )
    feedback.name = (child_name or "").strip()[:100] or None
    feedback.topic_text = (topic or "").strip() or None
    feedback.logged_by_id = staff.id
    apply_categories(feedback, service_area, about_staff)
    record_event(
        Actor.staff(staff),
        "feedback.logged_for_child",
        "feedback",
        feedback.reference,
        after={
            "kind": kind,
            "channel": channel,
            "logged_by": staff.email,
            "service_area": feedback.service_area,
            "about_staff": feedback.about_staff,
        },
    )
    db.session.commit()
    return feedback


def logged_by(staff: StaffUser) -> list[Feedback]:
    """What this member of staff logged on children's behalf, newest first."""
    return list(
        db.session.scalars(
            select(Feedback).where(Feedback.logged_by_id == staff.id).order_by(Feedback.received_at.desc())
        )
    )


def feedback_for_staff(staff: StaffUser, reference: str) -> Feedback:
    """A record, for a member of staff allowed to see it (a worker: only what they logged)."""
    feedback = get_feedback(reference)
    if staff.role not in ALL_FEEDBACK_ROLES and feedback.logged_by_id != staff.id:
        raise Forbidden("You can see the feedback you logged, and nothing else.")
    return feedback
