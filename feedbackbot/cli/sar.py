"""`feedbackbot sar`: subject access requests: log one, list them, export a person's records."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click
from flask import render_template

from feedbackbot.services import subject_access as service
from feedbackbot.services.audit import Actor
from feedbackbot.services.errors import ServiceError


@click.group()
def sar() -> None:
    """Subject access requests (answered within one calendar month)."""


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use YYYY-MM-DD", param_hint="--received") from None


@sar.command("log")
@click.option("--requester", required=True, help="Who made the request.")
@click.option("--received", default=None, help="Date received, YYYY-MM-DD (default today).")
@click.option("--name", "names", multiple=True, help="A name to search for (repeatable).")
@click.option("--contact", "contacts", multiple=True, help="A phone number or email (repeatable).")
@click.option("--reference", "references", multiple=True, help="A reference (repeatable).")
def log(
    requester: str,
    received: str | None,
    names: tuple[str, ...],
    contacts: tuple[str, ...],
    references: tuple[str, ...],
) -> None:
    """Log a request; it is due one calendar month after it was received."""
    try:
        row = service.log_request(
            requester,
            _date(received),
            names=list(names),
            contacts=list(contacts),
            references=list(references),
            actor=Actor.system("cli"),
        )
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{row.reference} (id {row.id}) logged; due {row.due_on.isoformat()}")


@sar.command("list")
def list_requests() -> None:
    """Every request with its due date, open ones first."""
    rows = service.all_requests()
    if not rows:
        click.echo("no subject access requests")
    for row in rows:
        state = f"answered {row.completed_on.isoformat()}" if row.completed_on else "open"
        click.echo(f"{row.id:5}  {row.reference}  due {row.due_on.isoformat()}  {state}  {row.requester}")


@sar.command("export")
@click.argument("request_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["json", "html"]), default="json", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="File to write (default: standard output).",
)
def export(request_id: int, fmt: str, out: str | None) -> None:
    """Produce the bundle of everything held about the person (audited)."""
    try:
        row = service.get_request(request_id)
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    bundle = service.bundle(row, Actor.system("cli"))
    text = (
        json.dumps(bundle, indent=2, ensure_ascii=False)
        if fmt == "json"
        else render_template("sar/export.html", bundle=bundle)
    )
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"{row.reference}: {len(bundle['records'])} record(s) written to {out}", err=True)
    else:
        click.echo(text)


@sar.command("done")
@click.argument("request_id", type=int)
def done(request_id: int) -> None:
    """Mark a request answered (its reminders stop)."""
    try:
        row = service.complete(service.get_request(request_id), Actor.system("cli"))
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{row.reference} answered on {row.completed_on.isoformat()}")
