"""Admins' pages for staff accounts and API tokens: create, deactivate, change role, reset, revoke."""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from feedbackbot.models import Role
from feedbackbot.services import access_log, accounts
from feedbackbot.services.audit import Actor
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.users import api_tokens, create_staff_user, revoke_api_token
from feedbackbot.web.dashboard import bp, staff_page
from feedbackbot.web.dashboard.forms import RevokeTokenForm

ADMIN = frozenset({"admin"})
ROLES = [(r.value, r.value.capitalize()) for r in Role]
ACCOUNT_ACTIONS = frozenset({"deactivate", "reactivate", "reset", "role"})


class NewAccountForm(FlaskForm):
    """A new account; it gets a one-time link to set its own password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    role = SelectField("Role", choices=ROLES)


class RoleForm(FlaskForm):
    """Change an account's role."""

    role = SelectField("Role", choices=ROLES)


class ActionForm(FlaskForm):
    """A button that changes an account (deactivate, reactivate, reset): CSRF only."""


def _render_tokens(error: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "staff/tokens.html", tokens=api_tokens(), form=RevokeTokenForm(), error=error
    ), status


@bp.get("/tokens")
@staff_page(ADMIN)
def tokens() -> tuple[str, int]:
    """Every staff API token, newest first."""
    return _render_tokens()


@bp.post("/tokens/<int:token_id>/revoke")
@staff_page(ADMIN)
def revoke_token(token_id: int) -> Response | tuple[str, int]:
    """Revoke a token: the next API call with it is refused."""
    if not RevokeTokenForm().validate_on_submit():
        return _render_tokens("The form expired; please try again.", 400)
    try:
        row = revoke_api_token(token_id, Actor.staff(current_user))
    except ServiceError as exc:
        return _render_tokens(str(exc), exc.status_code)
    flash(f"Revoked the API token “{row.name}” of {row.staff.email}.", "info")
    return redirect(url_for("dashboard.tokens"), 303)


def _render_accounts(
    error: str | None = None,
    status: int = 200,
    form: NewAccountForm | None = None,
    reset_link: str | None = None,
) -> tuple[str, int]:
    return render_template(
        "staff/accounts.html",
        people=accounts.all_staff(),
        form=form or NewAccountForm(),
        action_form=ActionForm(),
        roles=ROLES,
        reset_link=reset_link,
        error=error,
    ), status


def _reset_link(staff_id: int) -> str:
    staff = accounts.get_staff(staff_id)
    token = accounts.password_reset_token(staff, Actor.staff(current_user))
    return url_for("auth.reset_password", token=token, _external=True)


@bp.get("/accounts")
@staff_page(ADMIN)
def accounts_page() -> tuple[str, int]:
    """Every staff account with what an admin can do to it."""
    return _render_accounts()


@bp.post("/accounts")
@staff_page(ADMIN)
def create_account() -> tuple[str, int]:
    """Create an account with an unusable random password and show its one-time set-password link."""
    form = NewAccountForm()
    if not form.validate_on_submit():
        return _render_accounts("Give an email address, a name and a role.", 400, form)
    try:
        staff = create_staff_user(
            form.email.data or "",
            form.role.data or "",
            secrets.token_urlsafe(32),
            name=form.name.data,
            actor=Actor.staff(current_user),
        )
        link = _reset_link(staff.id)
    except ServiceError as exc:
        return _render_accounts(str(exc), exc.status_code, form)
    flash(f"Created {staff.email}. Send them the link below to set their password.", "info")
    return _render_accounts(reset_link=link)


@bp.post("/accounts/<int:staff_id>/<action>")
@staff_page(ADMIN)
def account_action(staff_id: int, action: str) -> Response | tuple[str, int]:
    """Deactivate, reactivate, change role or issue a reset link for one account."""
    if action not in ACCOUNT_ACTIONS:
        abort(404)
    form = RoleForm() if action == "role" else ActionForm()
    if not form.validate_on_submit():
        return _render_accounts("The form expired or the role is not one we know; please try again.", 400)
    actor = Actor.staff(current_user)
    try:
        staff = accounts.get_staff(staff_id)
        if action == "reset":
            return _render_accounts(reset_link=_reset_link(staff_id))
        if action == "deactivate":
            accounts.deactivate(staff, actor)
            flash(f"{staff.email} is deactivated: signed out everywhere, API tokens stopped.", "info")
        elif action == "reactivate":
            accounts.reactivate(staff, actor)
            flash(f"{staff.email} can sign in again.", "info")
        else:
            accounts.change_role(staff, form.role.data or "", actor)
            flash(f"{staff.email} is now {staff.role}.", "info")
    except ServiceError as exc:
        return _render_accounts(str(exc), exc.status_code)
    return redirect(url_for("dashboard.accounts_page"), 303)


@bp.get("/access-log")
@staff_page(ADMIN)
def access_log_page() -> str:
    """Who opened the words of a record holding a disclosure, and when (newest first)."""
    return render_template("staff/access_log.html", openings=access_log.recent_openings())
