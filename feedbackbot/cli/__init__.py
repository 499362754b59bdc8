"""The `feedbackbot` command: Flask's CLI for this app plus the project's own commands."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup
from sqlalchemy.exc import ArgumentError as SAArgumentError
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError

from feedbackbot.settings import ConfigError

EXIT_USAGE = 2


def _factory() -> Flask:
    from feedbackbot.app import create_app

    return create_app()


class FeedbackbotGroup(FlaskGroup):
    """FlaskGroup whose help still works when the configuration is broken."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """List commands; a configuration problem becomes one line instead of a traceback."""
        try:
            return super().list_commands(ctx)
        except ConfigError as exc:  # pragma: no cover - FlaskGroup catches most of this itself
            click.echo(f"error: {exc}", err=True)
            return sorted(self.commands)


cli = FeedbackbotGroup(
    name="feedbackbot",
    create_app=_factory,
    load_dotenv=False,
    set_debug_flag=False,
    help="Voices of Sandwell feedback service. Settings come from environment variables.",
)


def describe_database_error(exc: Exception) -> str:
    """Turn a driver error into one line an operator can act on."""
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    lowered = first.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return f"the database has no tables yet; run `feedbackbot db upgrade` first ({first})"
    return f"cannot use the database: {first}"


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI, turning configuration and database problems into one line and exit code 2."""
    try:
        return cli.main(args=argv, prog_name="feedbackbot")
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except (OperationalError, ProgrammingError, DBAPIError, SAArgumentError) as exc:
        click.echo(f"error: {describe_database_error(exc)}", err=True)
        sys.exit(EXIT_USAGE)


def init_app(app: Flask) -> None:
    """Register the project's commands on the app's CLI group."""
    from feedbackbot.cli import (
        chat,
        clock,
        demo,
        glossary,
        outbox,
        report,
        retention,
        safeguarding,
        sar,
        slack,
        timescales,
        users,
    )

    app.cli.add_command(users.users)
    app.cli.add_command(demo.seed_demo)
    app.cli.add_command(clock.clock)
    app.cli.add_command(glossary.glossary)
    app.cli.add_command(slack.slack)
    app.cli.add_command(chat.chat)
    app.cli.add_command(outbox.outbox)
    app.cli.add_command(safeguarding.safeguarding)
    app.cli.add_command(timescales.timescales)
    app.cli.add_command(report.report)
    app.cli.add_command(retention.retention)
    app.cli.add_command(sar.sar)
