""" "You said, we did": participation staff publish what changed because of feedback, for young
people to read. The words are checked against the glossary and for personal details first."""

from __future__ import annotations

import re

from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import StaffUser, YouSaidWeDid
from feedbackbot.services import clock
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.complaints import LOOP_ROLES, WordingFindings, check_message, require
from feedbackbot.services.errors import Conflict, Invalid, NotFound

MAX_CHARS = 1000
# Details that identify a person or a case never go on a public page.
PERSONAL = (
    (re.compile(r"\bVOS-\d{4}-\d+\b", re.I), "a feedback reference"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"), "an email address"),
    (re.compile(r"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b"), "a phone number"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I), "a postcode"),
    (re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"), "a date of birth or other date"),
)


def personal_details(text: str) -> list[str]:
    """What in the text looks like it identifies someone (a person checks names: see the form)."""
    return [what for pattern, what in PERSONAL if pattern.search(text)]


def publish(
    staff: StaffUser,
    you_said: str,
    we_did: str,
    *,
    no_personal_data: bool,
    send_as_written: bool = False,
) -> YouSaidWeDid:
    """Publish one change, checked: no personal details, and the young people's own words."""
    require(staff, LOOP_ROLES, "publish 'you said, we did'")
    you_said, we_did = " ".join((you_said or "").split()), " ".join((we_did or "").split())
    if not you_said or not we_did:
        raise Invalid("write both what young people said and what the Trust did")
    if len(you_said) > MAX_CHARS or len(we_did) > MAX_CHARS:
        raise Invalid(f"keep each part under {MAX_CHARS} characters")
    found = personal_details(f"{you_said} {we_did}")
    if found:
        raise Invalid(f"take out {', '.join(found)}: this page is public")
    if not no_personal_data:
        raise Invalid("confirm there are no names or details that could identify anyone")
    for text in (you_said, we_did):
        findings, rewritten = check_message(text)
        if findings and not send_as_written:
            raise WordingFindings(findings, rewritten)
    item = YouSaidWeDid(
        you_said=you_said, we_did=we_did, published_on=clock.today(), published_by_id=staff.id
    )
    db.session.add(item)
    db.session.flush()
    record_event(
        Actor.staff(staff),
        "you_said_we_did.published",
        "you_said_we_did",
        item.id,
        after={"you_said": you_said},
    )
    db.session.commit()
    return item


def withdraw(staff: StaffUser, item_id: int) -> YouSaidWeDid:
    """Take an entry off the public page (kept for the record)."""
    require(staff, LOOP_ROLES, "withdraw 'you said, we did'")
    item = db.session.get(YouSaidWeDid, item_id)
    if item is None:
        raise NotFound("there is no such entry")
    if item.withdrawn_at is not None:
        raise Conflict("that entry is already withdrawn")
    item.withdrawn_at = clock.now()
    record_event(Actor.staff(staff), "you_said_we_did.withdrawn", "you_said_we_did", item.id)
    db.session.commit()
    return item


def published() -> list[YouSaidWeDid]:
    """What the public page shows, newest first."""
    return list(
        db.session.scalars(
            select(YouSaidWeDid)
            .where(YouSaidWeDid.withdrawn_at.is_(None))
            .order_by(YouSaidWeDid.published_on.desc(), YouSaidWeDid.id.desc())
        )
    )
