"""Staff accounts: who may sign in to the dashboard and what their role lets them see."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from feedbackbot.models.base import Base, one_of, utcnow


class Role(StrEnum):
    """Staff roles; each view and service decides what a role may do."""

    COMPLAINTS = "complaints"
    PARTICIPATION = "participation"
    MANAGER = "manager"
    ADMIN = "admin"
    WORKER = "worker"  # social workers, IROs: log what a child told them and see what they logged


class StaffUser(UserMixin, Base):
    """A member of staff who signs in; passwords are argon2 hashes, never stored in clear."""

    __tablename__ = "staff_user"
    __table_args__ = (CheckConstraint(one_of(Role, "role"), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Part of every session cookie; signing out counts it up, so a copied cookie stops working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    def get_id(self) -> str:
        """What the session cookie holds: the account and its current session version."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login: a disabled account cannot sign in
        """Let Flask-Login refuse disabled accounts."""
        return self.active

    def __repr__(self) -> str:
        return f"<StaffUser {self.email} {self.role}>"
