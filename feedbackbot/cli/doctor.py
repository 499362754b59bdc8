"""`feedbackbot doctor`: the configuration and the service's health, for an operator at a terminal."""

from __future__ import annotations

import json
import sys

import click

from feedbackbot.settings import ConfigError

MARKS = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}


@click.command("doctor")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def doctor(fmt: str) -> None:
    """Report the configuration and whether the service is healthy (exit 1 when not)."""
    from flask import has_app_context

    from feedbackbot.app import create_app
    from feedbackbot.services.diagnostics import FAIL, Check, report

    try:
        if has_app_context():
            checks = report()
        else:
            with create_app({"COMMAND_LINE": True}).app_context():
                checks = report()
    except ConfigError as exc:
        checks = [Check("configuration", FAIL, str(exc))]
    healthy = all(c.status != FAIL for c in checks)
    if fmt == "json":
        click.echo(json.dumps({"healthy": healthy, "checks": [c.to_dict() for c in checks]}))
    else:
        width = max(len(c.name) for c in checks)
        for check in checks:
            click.echo(f"{MARKS[check.status]}  {check.name:{width}}  {check.detail}")
        click.echo("healthy" if healthy else "NOT healthy")
    sys.exit(0 if healthy else 1)
