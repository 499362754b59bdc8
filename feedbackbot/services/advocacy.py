"""Advocacy referrals: offered, accepted, referred on, contact made by a configured deadline.

A child who complains must be offered an advocate (Children Act 1989 s.26A). When the chat says
"We will ask an advocate to get in touch", a referral is recorded here, and the clock reminds the
team before and after the day by which the advocate should have made contact.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import AdvocacyReferral, AdvocateAnswer, Feedback, Role, StaffUser
from feedbackbot.services import clock
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.config import domain
from feedbackbot.services.errors import Conflict, Forbidden, Invalid, NotFound

ADVOCACY_ROLES = frozenset(
    {Role.COMPLAINTS.value, Role.MANAGER.value, Role.ADMIN.value, Role.PARTICIPATION.value}
)


def contact_by(referral: AdvocacyReferral) -> date | None:
    """The day by which the advocate should have made contact (from acceptance; None when not due)."""
    if referral.answer != AdvocateAnswer.ACCEPTED.value or referral.accepted_on is None:
        return None
    return domain().calendar.add_working_days(
        referral.accepted_on, domain().procedures.advocate_contact_within
    )


def referral_for(feedback: Feedback) -> AdvocacyReferral | None:
    """The feedback's advocacy referral, if an advocate was ever offered."""
    return db.session.scalars(
        select(AdvocacyReferral).where(AdvocacyReferral.feedback_id == feedback.id)
    ).first()


def record_offer(
    feedback: Feedback, answer: str | None, *, on: date | None = None, offered_by: str, actor: Actor
) -> AdvocacyReferral:
    """Record that an advocate was offered and the answer, in the caller's transaction."""
    if answer is not None and answer not in {a.value for a in AdvocateAnswer}:
        raise Invalid("the answer must be accepted, declined or already has one")
    on = on or clock.today()
    referral = referral_for(feedback)
    if referral is None:
        referral = AdvocacyReferral(feedback=feedback, offered_on=on, offered_by=offered_by)
        db.session.add(referral)
    referral.answer = answer
    if answer == AdvocateAnswer.ACCEPTED.value and referral.accepted_on is None:
        referral.accepted_on = on
    db.session.flush()
    record_event(
        actor,
        "advocacy.offered",
        "feedback",
        feedback.reference,
        after={"answer": answer, "on": on.isoformat(), "offered_by": offered_by},
    )
    return referral


def _require(staff: StaffUser) -> None:
    if staff.role not in ADVOCACY_ROLES:
        raise Forbidden(f"Your role ({staff.role}) cannot work on advocacy referrals.")


def get_referral(referral_id: int) -> AdvocacyReferral:
    """Find a referral."""
    referral = db.session.get(AdvocacyReferral, referral_id)
    if referral is None:
        raise NotFound(f"there is no advocacy referral {referral_id}")
    return referral


def refer_on(
    staff: StaffUser, referral: AdvocacyReferral, to: str, on: date | None = None
) -> AdvocacyReferral:
    """Record that the child was referred to an advocacy service."""
    _require(staff)
    on = on or clock.today()
    if referral.answer != AdvocateAnswer.ACCEPTED.value:
        raise Conflict("only an accepted offer is referred on")
    if referral.referred_on is not None:
        raise Conflict(f"already referred on {referral.referred_on:%d %b %Y}")
    if not to.strip():
        raise Invalid("say which advocacy service it was referred to")
    if on > clock.today() or on < referral.offered_on:
        raise Invalid("the referral date must be between the offer and today")
    referral.referred_on, referral.referred_to = on, to.strip()
    record_event(
        Actor.staff(staff),
        "advocacy.referred",
        "feedback",
        referral.feedback.reference,
        after={"on": on.isoformat(), "to": referral.referred_to},
    )
    db.session.commit()
    return referral


def record_contact(staff: StaffUser, referral: AdvocacyReferral, on: date | None = None) -> AdvocacyReferral:
    """Record the day the advocate made contact with the child (the promise kept)."""
    _require(staff)
    on = on or clock.today()
    if referral.referred_on is None:
        raise Conflict("record the referral to the advocacy service first")
    if referral.contact_made_on is not None:
        raise Conflict(f"contact was already recorded on {referral.contact_made_on:%d %b %Y}")
    if on > clock.today() or on < referral.referred_on:
        raise Invalid("the contact date must be between the referral and today")
    referral.contact_made_on = on
    due = contact_by(referral)
    record_event(
        Actor.staff(staff),
        "advocacy.contact_made",
        "feedback",
        referral.feedback.reference,
        after={"on": on.isoformat(), "in_time": bool(due and on <= due)},
    )
    db.session.commit()
    return referral


def open_referrals() -> list[AdvocacyReferral]:
    """Accepted offers where the advocate has not yet made contact, oldest first."""
    return list(
        db.session.scalars(
            select(AdvocacyReferral)
            .where(
                AdvocacyReferral.answer == AdvocateAnswer.ACCEPTED.value,
                AdvocacyReferral.contact_made_on.is_(None),
            )
            .order_by(AdvocacyReferral.accepted_on, AdvocacyReferral.id)
        )
    )
