"""API tokens for admins: who has one and what for, and revoking one that should stop working."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from feedbackbot.services.audit import Actor
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.users import api_tokens, revoke_api_token
from feedbackbot.web.dashboard import bp, staff_page
from feedbackbot.web.dashboard.forms import RevokeTokenForm

ADMIN = frozenset({"admin"})


def _render(error: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "staff/tokens.html", tokens=api_tokens(), form=RevokeTokenForm(), error=error
    ), status


@bp.get("/tokens")
@staff_page(ADMIN)
def tokens() -> tuple[str, int]:
    """Every staff API token, newest first."""
    return _render()


@bp.post("/tokens/<int:token_id>/revoke")
@staff_page(ADMIN)
def revoke_token(token_id: int) -> Response | tuple[str, int]:
    """Revoke a token: the next API call with it is refused."""
    if not RevokeTokenForm().validate_on_submit():
        return _render("The form expired; please try again.", 400)
    try:
        row = revoke_api_token(token_id, Actor.staff(current_user))
    except ServiceError as exc:
        return _render(str(exc), exc.status_code)
    flash(f"Revoked the API token “{row.name}” of {row.staff.email}.", "info")
    return redirect(url_for("dashboard.tokens"), 303)
