"""Staff accounts: creation, password checks and look-ups."""

from __future__ import annotations

import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import CHEAPEST
from flask import current_app, has_app_context
from sqlalchemy import func, select

from feedbackbot.extensions import db
from feedbackbot.models import ApiToken, Role, StaffUser
from feedbackbot.models.base import storable_id
from feedbackbot.services import clock
from feedbackbot.services.audit import Actor, record_event
from feedbackbot.services.errors import Conflict, Invalid, NotFound

_hashers: dict[bool, PasswordHasher] = {}


def password_hasher() -> PasswordHasher:
    """argon2id with the library's recommended settings; the cheapest settings only in tests."""
    testing = bool(has_app_context() and current_app.config.get("TESTING"))
    if testing not in _hashers:
        _hashers[testing] = PasswordHasher.from_parameters(CHEAPEST) if testing else PasswordHasher()
    return _hashers[testing]


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    """Hash with argon2id, the current OWASP recommendation for password storage."""
    return password_hasher().hash(password)


def create_staff_user(
    email: str, role: str, password: str, name: str | None = None, actor: Actor | None = None
) -> StaffUser:
    """Create a staff account after checking the email, role and password are usable."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise Invalid(f"{email!r} is not an email address")
    if role not in {r.value for r in Role}:
        raise Invalid(f"role must be one of {', '.join(r.value for r in Role)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if find_staff_user(email) is not None:
        raise Conflict(f"there is already a staff account for {email}")
    user = StaffUser(
        email=email,
        role=role,
        name=(name or email.split("@")[0]).strip(),
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    record_event(
        actor or Actor.system("cli"),
        "staff_user.created",
        "staff_user",
        user.id,
        after={"email": email, "role": role, "name": user.name},
    )
    db.session.commit()
    return user


def find_staff_user(email: str) -> StaffUser | None:
    """Look a member of staff up by email, ignoring case."""
    stmt = select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    return db.session.scalars(stmt).first()


def authenticate(email: str, password: str) -> StaffUser | None:
    """Check a sign-in; gives the user only for an active account and a matching password."""
    user = find_staff_user(email)
    if user is None or not user.active:
        # Spend the same time as a real check so response times do not reveal which emails exist.
        password_hasher().hash(password)
        return None
    try:
        password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def staff_for_session(session_id: str) -> StaffUser | None:
    """The member of staff a session cookie names, while that session has not been signed out."""
    user_id, _, version = (session_id or "").partition(":")
    if not (user_id.isascii() and user_id.isdigit() and version.isascii() and version.isdigit()):
        return None  # includes cookies from before session versions existed
    if not storable_id(int(user_id)):
        return None
    user = db.session.get(StaffUser, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def end_sessions(staff: StaffUser) -> None:
    """Sign out on the server: every session cookie issued so far for this account stops working."""
    staff.session_version += 1
    record_event(Actor.staff(staff), "staff_user.signed_out", "staff_user", staff.id)
    db.session.commit()


def link_slack_user(email: str, slack_user_id: str | None) -> StaffUser:
    """Link (or unlink) a staff account and a Slack user, for direct messages and named acknowledgements."""
    staff = find_staff_user(email)
    if staff is None:
        raise Invalid(f"there is no staff account for {email}")
    if slack_user_id is not None:
        slack_user_id = slack_user_id.strip()
        if not re.fullmatch(r"[UW][A-Z0-9]{2,}", slack_user_id):
            raise Invalid("a Slack user id looks like U012AB3CD")
        other = find_staff_by_slack_id(slack_user_id)
        if other is not None and other.id != staff.id:
            raise Conflict(f"{slack_user_id} is already linked to {other.email}")
    before = {"slack_user_id": staff.slack_user_id}
    staff.slack_user_id = slack_user_id
    record_event(
        Actor.system("cli"),
        "staff_user.slack_linked",
        "staff_user",
        staff.id,
        before=before,
        after={"slack_user_id": slack_user_id},
    )
    db.session.commit()
    return staff


def find_staff_by_slack_id(slack_user_id: str) -> StaffUser | None:
    """The member of staff linked to a Slack user, if any."""
    if not slack_user_id:
        return None
    return db.session.scalars(select(StaffUser).where(StaffUser.slack_user_id == slack_user_id)).first()


def issue_api_token(staff: StaffUser, name: str) -> str:
    """Create an API token for a member of staff; the token is shown once and stored as a hash."""
    token = "fbt_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(staff_id=staff.id, name=name.strip() or "api", token_hash=token_hash(token)))
    record_event(Actor.system("cli"), "api_token.issued", "staff_user", staff.id, after={"name": name})
    db.session.commit()
    return token


def api_tokens(email: str | None = None) -> list[ApiToken]:
    """Every API token (or one person's), newest first: who has one, what for, whether revoked."""
    stmt = select(ApiToken).join(StaffUser, ApiToken.staff_id == StaffUser.id).order_by(ApiToken.id.desc())
    if email is not None:
        stmt = stmt.where(func.lower(StaffUser.email) == email.strip().lower())
    return list(db.session.scalars(stmt))


def revoke_api_token(token_id: int, actor: Actor | None = None) -> ApiToken:
    """Stop a token working at once (it stays listed, marked revoked, for the audit trail)."""
    row = db.session.get(ApiToken, token_id) if storable_id(token_id) else None
    if row is None:
        raise NotFound(f"there is no API token {token_id}")
    if row.revoked_at is not None:
        raise Conflict(f"API token {token_id} ({row.name}) is already revoked")
    row.revoked_at = clock.now()
    record_event(
        actor or Actor.system("cli"),
        "api_token.revoked",
        "staff_user",
        row.staff_id,
        after={"token": row.id, "name": row.name},
    )
    db.session.commit()
    return row


def token_hash(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode()).hexdigest()


def staff_for_token(token: str) -> StaffUser | None:
    """The active member of staff an API token belongs to (None when unknown or revoked)."""
    row = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.staff.active:
        return None
    return row.staff
