"""Staff sign-in and sign-out (Flask-Login sessions, Flask-WTF forms with CSRF)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from feedbackbot.extensions import limiter, login_manager
from feedbackbot.models import StaffUser
from feedbackbot.services import accounts
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.users import MIN_PASSWORD_LENGTH, authenticate, end_sessions, staff_for_session

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> StaffUser | None:
    """Reload the signed-in member of staff, if the cookie's session has not been signed out."""
    return staff_for_session(user_id)


class LoginForm(FlaskForm):
    """Email and password; CSRF-protected like every form."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str | None:
    """Only follow `next` to a path on this site, never to another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _account_key() -> str:
    """The account a sign-in names, so wrong passwords are counted per account from any address."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _account_limit() -> str:
    return str(current_app.config.get("LOGIN_LIMIT_ACCOUNT") or "10 per 15 minutes")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limiter.limit(
    _account_limit,
    key_func=_account_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 401,  # only wrong passwords count
)
def login() -> Response | str | tuple[str, int]:
    """Sign a member of staff in."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.queue"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("dashboard.queue"))
        flash("That email and password do not match an active account.", "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    """Sign out (POST with CSRF, so a link elsewhere cannot sign anyone out)."""
    end_sessions(current_user._get_current_object())
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


class ResetPasswordForm(FlaskForm):
    """A new password, twice."""

    password = PasswordField(
        "New password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField("New password again", validators=[DataRequired(), Length(max=200)])


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str) -> Response | str | tuple[str, int]:
    """Set a password through the one-time link an admin made; it works once."""
    try:
        staff = accounts.staff_for_reset(token)
    except ServiceError as exc:
        return render_template("auth/reset.html", form=None, error=str(exc)), exc.status_code
    form = ResetPasswordForm()
    if form.validate_on_submit():
        if form.password.data != form.confirm.data:
            return render_template("auth/reset.html", form=form, error="The two passwords differ."), 400
        try:
            accounts.reset_password(token, form.password.data or "")
        except ServiceError as exc:
            return render_template("auth/reset.html", form=form, error=str(exc)), exc.status_code
        flash("Your password is set. Please sign in.", "info")
        return redirect(url_for("auth.login"), 303)
    if request.method == "POST":
        message = f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters, typed the same twice."
        return render_template("auth/reset.html", form=form, error=message, email=staff.email), 400
    return render_template("auth/reset.html", form=form, email=staff.email)
