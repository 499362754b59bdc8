"""`feedbackbot report monthly`: the monthly report on themes and resolutions."""

from __future__ import annotations

import json
from datetime import date

import click

from feedbackbot.services import clock
from feedbackbot.services.reports import monthly_report, report_sections


@click.group()
def report() -> None:
    """Reports for senior managers."""


@report.command("monthly")
@click.option("--month", default=None, help="YYYY-MM (default: last month).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def monthly(month: str | None, fmt: str) -> None:
    """Feedback by kind, themes, complaints answered in time, outcomes, mediation, learning."""
    if month:
        try:
            year, number = (int(part) for part in month.split("-"))
            date(year, number, 1)
        except ValueError:
            raise click.UsageError("--month must be YYYY-MM") from None
    else:
        today = clock.today()
        year, number = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    data = monthly_report(year, number)
    if fmt == "json":
        click.echo(json.dumps(data))
        return
    click.echo(f"Monthly report: {data['period']}")
    for heading, lines in report_sections(data):
        click.echo(f"\n{heading}")
        for line in lines or ["none"]:
            click.echo(f"  {line}")
