"""Staff accounts managed by an admin: deactivate, reactivate, change role, reset a password.

A password reset is a one-time link: a signed, timed token that names the account and a digest
of its current password hash, so it stops working once the password changes (or after a day).
No reset secret is stored.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import Role, StaffUser
from feedbackbot.models.base import storable_id
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.errors import Conflict, Invalid, NotFound
from feedbackbot.services.users import MIN_PASSWORD_LENGTH, hash_password

RESET_VALID_FOR = timedelta(hours=24)
_RESET_SALT = "feedbackbot.password-reset"


def all_staff() -> list[StaffUser]:
    """Every staff account, active first, then by name."""
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.active.desc(), StaffUser.name)))


def get_staff(staff_id: int) -> StaffUser:
    """One account by id, or NotFound."""
    staff = db.session.get(StaffUser, staff_id) if storable_id(staff_id) else None
    if staff is None:
        raise NotFound(f"there is no staff account {staff_id}")
    return staff


def _not_yourself(staff: StaffUser, actor: Actor, what: str) -> None:
    if actor.staff_id == staff.id:
        raise Conflict(f"you cannot {what} your own account; ask another admin")


def deactivate(staff: StaffUser, actor: Actor) -> StaffUser:
    """Stop an account: it cannot sign in, its sessions end now and its API tokens stop working."""
    _not_yourself(staff, actor, "deactivate")
    if not staff.active:
        raise Conflict(f"{staff.email} is already deactivated")
    staff.active = False
    staff.session_version += 1  # every session cookie issued so far stops working
    record_event(
        actor,
        "staff_user.deactivated",
        "staff_user",
        staff.id,
        before={"active": True},
        after={"active": False},
    )
    db.session.commit()
    return staff


def reactivate(staff: StaffUser, actor: Actor) -> StaffUser:
    """Let a deactivated account sign in again (its old sessions stay ended)."""
    if staff.active:
        raise Conflict(f"{staff.email} is already active")
    staff.active = True
    record_event(
        actor,
        "staff_user.reactivated",
        "staff_user",
        staff.id,
        before={"active": False},
        after={"active": True},
    )
    db.session.commit()
    return staff


def change_role(staff: StaffUser, role: str, actor: Actor) -> StaffUser:
    """Change what an account may do; takes effect on its next request."""
    if role not in {r.value for r in Role}:
        raise Invalid(f"role must be one of {', '.join(r.value for r in Role)}")
    _not_yourself(staff, actor, "change the role of")
    if staff.role == role:
        raise Conflict(f"{staff.email} already has the role {role}")
    before = {"role": staff.role}
    staff.role = role
    record_event(
        actor, "staff_user.role_changed", "staff_user", staff.id, before=before, after={"role": role}
    )
    db.session.commit()
    return staff


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _password_digest(staff: StaffUser) -> str:
    return hashlib.sha256(staff.password_hash.encode()).hexdigest()[:32]


def password_reset_token(staff: StaffUser, actor: Actor) -> str:
    """A one-time token for a reset link (valid a day, void once the password changes); audited."""
    if not staff.active:
        raise Conflict(f"{staff.email} is deactivated; reactivate it first")
    token = _serializer().dumps({"id": staff.id, "pw": _password_digest(staff)})
    record_event(actor, "staff_user.password_reset_issued", "staff_user", staff.id)
    db.session.commit()
    return token


def staff_for_reset(token: str) -> StaffUser:
    """The account a reset link is for, while the link is unused, unexpired and the account active."""
    try:
        data = _serializer().loads(token, max_age=int(RESET_VALID_FOR.total_seconds()))
    except SignatureExpired:
        raise Invalid("this reset link has expired; ask an admin for a new one") from None
    except BadSignature:
        raise Invalid("this reset link is not valid; ask an admin for a new one") from None
    staff_id = data.get("id") if isinstance(data, dict) else None
    staff = (
        db.session.get(StaffUser, staff_id) if isinstance(staff_id, int) and storable_id(staff_id) else None
    )
    if staff is None or not staff.active or data.get("pw") != _password_digest(staff):
        raise Invalid("this reset link has been used or is no longer valid; ask an admin for a new one")
    return staff


def reset_password(token: str, password: str) -> StaffUser:
    """Set a new password through a reset link; the link and every existing session stop working."""
    staff = staff_for_reset(token)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    staff.password_hash = hash_password(password)
    staff.session_version += 1
    record_event(Actor.staff(staff), "staff_user.password_reset", "staff_user", staff.id)
    db.session.commit()
    return staff
