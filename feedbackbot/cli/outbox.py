"""`feedbackbot outbox`: see and send pending notifications (the clock does this every minute)."""

from __future__ import annotations

import click
from sqlalchemy import select

from feedbackbot.extensions import db
from feedbackbot.models import OutboxMessage
from feedbackbot.services import outbox as outbox_service


@click.group()
def outbox() -> None:
    """Notifications waiting to be sent to Slack."""


@outbox.command("dispatch")
@click.option("--limit", default=100, show_default=True, help="Most rows to send in this run.")
def dispatch(limit: int) -> None:
    """Send every notification that is due (retries use backoff)."""
    result = outbox_service.dispatch_pending(limit=limit)
    click.echo(str(result))


@outbox.command("list")
@click.option(
    "--status",
    type=click.Choice(["pending", "sent", "cancelled", "all"]),
    default="pending",
    show_default=True,
)
def list_rows(status: str) -> None:
    """Show notifications and their state."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if status != "all":
        stmt = stmt.where(OutboxMessage.status == status)
    for row in db.session.scalars(stmt):
        click.echo(
            f"{row.id:6}  {row.status:9} {row.kind:22} {row.target or '-':14} attempts={row.attempts} "
            f"next={row.next_attempt_at:%Y-%m-%d %H:%M:%S}Z  {row.key}"
            + (f"  last error: {row.last_error}" if row.last_error else "")
        )
