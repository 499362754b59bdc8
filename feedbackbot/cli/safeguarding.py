"""`feedbackbot safeguarding`: open alerts, acknowledging one, and queueing reminders."""

from __future__ import annotations

import click

from feedbackbot.services import safeguarding as service
from feedbackbot.services.errors import ServiceError
from feedbackbot.services.users import find_staff_user


@click.group()
def safeguarding() -> None:
    """Safeguarding alerts."""


@safeguarding.command("list")
def list_alerts() -> None:
    """Alerts nobody has acknowledged yet (never the young person's words: see the dashboard)."""
    alerts = service.open_alerts()
    if not alerts:
        click.echo("no open safeguarding alerts")
    for alert in alerts:
        categories = ", ".join(service.category_labels(alert.categories)) or "asked for help"
        urgent = "  URGENT: not safe right now" if alert.urgent else ""
        click.echo(f"{alert.reference}  {alert.created_at:%Y-%m-%d %H:%M}Z  {categories}{urgent}")


@safeguarding.command("ack")
@click.argument("alert_id", type=int)
@click.option("--by", "email", required=True, help="Email of the member of staff taking it on.")
def acknowledge(alert_id: int, email: str) -> None:
    """Acknowledge an alert as a named member of staff (stops the reminders)."""
    staff = find_staff_user(email)
    if staff is None:
        raise click.UsageError(f"there is no staff account for {email}")
    try:
        alert = service.acknowledge_alert(alert_id, staff=staff)
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{alert.reference} acknowledged by {alert.acknowledged_by}")


@safeguarding.command("renotify")
def renotify() -> None:
    """Queue reminders for unacknowledged alerts (the clock runs this every minute)."""
    click.echo(f"{service.renotify_unacknowledged()} reminder(s) queued")
