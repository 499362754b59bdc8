"""`feedbackbot users`: manage staff accounts from the command line."""

from __future__ import annotations

import sys

import click

from feedbackbot.models import Role
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.users import (
    api_tokens,
    create_staff_user,
    find_staff_user,
    issue_api_token,
    link_slack_user,
    revoke_api_token,
)


@click.group()
def users() -> None:
    """Manage staff accounts."""


@users.command("create")
@click.option("--email", required=True, help="Sign-in email address.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="What they may do.")
@click.option("--name", default=None, help="Name shown in the audit trail (default: from email).")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of prompting.",
)
def create(email: str, role: str, name: str | None, password_stdin: bool) -> None:
    """Create a staff account; the password is prompted for, or read from stdin when piped."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_staff_user(email=email, role=role, password=password, name=name)
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"created {user.role} account {user.email}")


@users.command("token")
@click.option("--email", required=True, help="Whose token.")
@click.option("--name", default="api", help="What the token is for (shown in the audit trail).")
def token(email: str, name: str) -> None:
    """Issue a token for the staff JSON API (printed once; only its hash is kept)."""
    staff = find_staff_user(email)
    if staff is None:
        raise click.UsageError(f"there is no staff account for {email}")
    click.echo(issue_api_token(staff, name))


@users.command("tokens")
@click.option("--email", default=None, help="Only this person's tokens.")
def tokens(email: str | None) -> None:
    """List API tokens: id, whose, what for, when made, and whether revoked."""
    rows = api_tokens(email)
    if not rows:
        click.echo("no API tokens")
    for row in rows:
        state = f"revoked {row.revoked_at.isoformat(timespec='minutes')}" if row.revoked_at else "active"
        made = row.created_at.isoformat(timespec="minutes")
        click.echo(f"{row.id}\t{row.staff.email}\t{row.name}\tmade {made}\t{state}")


@users.command("revoke-token")
@click.argument("token_id", type=click.IntRange(min=1))
def revoke_token(token_id: int) -> None:
    """Revoke an API token by its id (from `feedbackbot users tokens`); it stops working at once."""
    try:
        row = revoke_api_token(token_id)
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"revoked API token {row.id} ({row.name}) of {row.staff.email}")


@users.command("slack")
@click.option("--email", required=True, help="The member of staff.")
@click.option("--slack-id", required=True, help="Their Slack user id (U...), or - to unlink.")
def link_slack(email: str, slack_id: str) -> None:
    """Link a staff account to a Slack user: reminders then go to them by direct message."""
    try:
        staff = link_slack_user(email, None if slack_id == "-" else slack_id)
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(
        f"{staff.email} is linked to Slack user {staff.slack_user_id}"
        if staff.slack_user_id
        else f"{staff.email} is not linked to Slack"
    )
