"""Compliments celebrated: who the young person wanted to thank, the monthly list for the
celebration, and a record that the thanks were passed on."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from feedbackbot.core.calendar import local_date
from feedbackbot.core.periods import month as month_period
from feedbackbot.extensions import db
from feedbackbot.models import Feedback, StaffUser
from feedbackbot.services import clock
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.complaints import require
from feedbackbot.services.errors import Conflict, Invalid
from feedbackbot.services.logging_for_child import ALL_FEEDBACK_ROLES, feedback_for_staff
from feedbackbot.services.report_data import utc_bounds


def _compliment(staff: StaffUser, reference: str) -> Feedback:
    require(staff, ALL_FEEDBACK_ROLES, "record thanks")
    feedback = feedback_for_staff(staff, reference)
    if feedback.kind != "compliment":
        raise Invalid(f"{feedback.reference} is a {feedback.kind}, not a compliment")
    return feedback


def name_thanked(staff: StaffUser, reference: str, name: str) -> Feedback:
    """Record the member of staff a compliment thanks (as the young person said, or as staff know)."""
    feedback = _compliment(staff, reference)
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("say who is being thanked")
    if len(name) > 200:
        raise Invalid("the name is too long (200 characters at most)")
    before = {"thanked": feedback.thanked}
    feedback.thanked = name
    record_event(
        Actor.staff(staff),
        "compliment.thanked_named",
        "feedback",
        feedback.reference,
        before,
        {"thanked": name},
    )
    db.session.commit()
    return feedback


def pass_on_thanks(staff: StaffUser, reference: str) -> Feedback:
    """Record that the thanks reached the member of staff named."""
    feedback = _compliment(staff, reference)
    if not feedback.thanked:
        raise Conflict("name who is being thanked first")
    if feedback.thanks_passed_on_at is not None:
        raise Conflict("the thanks were already passed on")
    feedback.thanks_passed_on_at = clock.now()
    record_event(
        Actor.staff(staff),
        "compliment.thanks_passed_on",
        "feedback",
        feedback.reference,
        after={"thanked": feedback.thanked},
    )
    db.session.commit()
    return feedback


def monthly_compliments(staff: StaffUser, year: int, number: int) -> tuple[str, list[Feedback]]:
    """The month's compliments for the celebration, the named ones first (no disclosures)."""
    require(staff, ALL_FEEDBACK_ROLES, "see the compliments")
    period = month_period(year, number)
    low, high = utc_bounds(period.start, period.end)
    rows = db.session.scalars(
        select(Feedback)
        .where(
            Feedback.kind == "compliment",
            Feedback.safeguarding.is_(False),
            Feedback.received_at >= low,
            Feedback.received_at < high,
        )
        .order_by(Feedback.received_at)
    ).all()
    return period.label, sorted(rows, key=lambda f: (f.thanked is None, (f.thanked or "").lower()))


def received_on(feedback: Feedback) -> date:
    """The London date a compliment arrived."""
    return local_date(feedback.received_at, current_app.config["TIMEZONE"])
