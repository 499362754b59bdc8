"""`feedbackbot timescales`: a stage's deadlines for a date received, from the configuration."""

from __future__ import annotations

import json
from datetime import date

import click

from feedbackbot.core.conversation import format_date
from feedbackbot.core.procedures import ProcedureConfigError, stage_timescales
from feedbackbot.services.config import domain

LABELS = {
    "received": "Received",
    "clock_start": "Counted from (day 0)",
    "acknowledge_by": "Acknowledge by",
    "respond_by": "Respond by",
    "extended_respond_by": "Respond by, if extended",
    "panel_by": "Review panel meets by",
    "panel_report_by": "Panel reports by",
}


@click.command("timescales")
@click.option("--procedure", type=click.Choice(["statutory", "corporate"]), required=True)
@click.option("--stage", type=click.IntRange(1, 3), required=True)
@click.option("--received", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="YYYY-MM-DD")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def timescales(procedure: str, stage: int, received: object, fmt: str) -> None:
    """Print a stage's deadlines in working days (England & Wales bank holidays excluded)."""
    received_on: date = received.date()  # type: ignore[attr-defined]
    try:
        config = domain().procedures.procedure(procedure).stage(stage)
    except ProcedureConfigError as exc:
        raise click.UsageError(str(exc)) from None
    times = stage_timescales(config, received_on, domain().calendar)
    data = times.to_dict()
    data.pop("paused_working_days")
    if fmt == "json":
        click.echo(json.dumps({"procedure": procedure, "stage": stage, **data}))
        return
    click.echo(f"{domain().procedures.procedure(procedure).name}, stage {stage} ({config.name})")
    for key, label in LABELS.items():
        value = getattr(times, key)
        if value is not None:
            click.echo(f"  {label + ':':26} {format_date(value)}")
