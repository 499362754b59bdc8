"""The `feedbackbot` command: the project's commands, each imported only when it is run.

Every command is one line in COMMANDS: its name, where it is ("module:attribute"), the one line
`--help` shows (a test checks it is the command's own), and whether it needs the web app.
`feedbackbot --help` imports none of them, so it starts at once. A command with app=True gets the
app (settings, database, extensions) built just before its code runs, never for `--help`; its code
uses `current_app` and the services as it would in a request. The others (glossary, timescales,
chat) load only what they use, from the environment, through the services' standalone path
(feedbackbot/services/standalone.py). Flask's own commands work too: `db` is Flask-Migrate's.
"""

from __future__ import annotations

import functools
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from flask import Flask

EXIT_USAGE = 2


@dataclass(frozen=True)
class Entry:
    """One command: where it lives, its one-line help, and whether it needs the web app.

    own_app: a Flask command that builds the app itself from ctx.obj (run, shell).
    """

    target: str
    help: str
    app: bool = True
    own_app: bool = False


COMMANDS: dict[str, Entry] = {
    "chat": Entry("feedbackbot.cli.chat:chat", "Try the young people's chat in the terminal (nothing is saved).", app=False),
    "clock": Entry("feedbackbot.cli.clock:clock", "Run the scheduler: reminders, digests, safeguarding reminders, sending notifications."),
    "db": Entry("flask_migrate.cli:db", "Perform database migrations."),
    "doctor": Entry("feedbackbot.cli.doctor:doctor", "Report the configuration and whether the service is healthy (exit 1 when not).", app=False),
    "glossary": Entry("feedbackbot.cli.glossary:glossary", "Check wording against the words young people chose.", app=False),
    "outbox": Entry("feedbackbot.cli.outbox:outbox", "Notifications waiting to be sent to Slack."),
    "report": Entry("feedbackbot.cli.report:report", "Reports for senior managers: any period (--from/--to) beside the year before, or `monthly`."),
    "retention": Entry("feedbackbot.cli.retention:retention", "Keep records only as long as the retention rules (and the privacy page) say."),
    "run": Entry("flask.cli:run_command", "Run a development server.", own_app=True),
    "safeguarding": Entry("feedbackbot.cli.safeguarding:safeguarding", "Safeguarding alerts."),
    "sar": Entry("feedbackbot.cli.sar:sar", "Subject access requests (answered within one calendar month)."),
    "seed-demo": Entry("feedbackbot.cli.demo:seed_demo", "Add invented demo staff and feedback (refused in production)."),
    "shell": Entry("flask.cli:shell_command", "Run a shell in the app context.", own_app=True),
    "slack": Entry("feedbackbot.cli.slack:slack", "Slack set-up."),
    "timescales": Entry("feedbackbot.cli.timescales:timescales", "Print a stage's deadlines in working days (England & Wales bank holidays excluded).", app=False),
    "users": Entry("feedbackbot.cli.users:users", "Manage staff accounts."),
}  # fmt: skip


def _factory() -> Flask:
    from feedbackbot.app import create_app

    return create_app({"COMMAND_LINE": True})  # no start-up notes in the log (doctor reports them)


def _script_info() -> Any:
    """What Flask's own commands (db, run, shell) use to build the app: our factory, no .env files."""
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=_factory, set_debug_flag=False, load_dotenv_defaults=False)


def _push_app(ctx: click.Context) -> None:
    """Build the app and enter its context for the rest of this command (unless one is active)."""
    from flask import has_app_context
    from flask.cli import ScriptInfo

    if has_app_context():  # tests and `feedbackbot shell` run commands inside their own app
        return
    info = ctx.find_object(ScriptInfo) or _script_info()
    app = info.load_app()
    ctx.find_root().with_resource(app.app_context())


def _in_app(callback: Callable[..., Any], is_group: bool) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        if not (is_group and ctx.invoked_subcommand is not None):  # a group's --help path stays light
            _push_app(ctx)
        return callback(*args, **kwargs)

    run.__feedbackbot_in_app__ = True  # type: ignore[attr-defined]
    return run


def needs_app(command: click.Command) -> click.Command:
    """Make a command (and every command under a group) run inside the app, built when it runs."""
    if command.callback is not None and not getattr(command.callback, "__feedbackbot_in_app__", False):
        command.callback = _in_app(command.callback, isinstance(command, click.Group))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            needs_app(sub)
    return command


def load_command(name: str) -> click.Command:
    """Import one command; those that need the app get it when they run."""
    entry = COMMANDS[name]
    module, _, attribute = entry.target.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    return needs_app(command) if entry.app and not entry.own_app else command


class FeedbackbotGroup(click.Group):
    """The top-level group: commands from COMMANDS, imported only when named."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, without importing any."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the command named; Flask's commands find our factory in ctx.obj."""
        if cmd_name not in COMMANDS:
            return None
        if COMMANDS[cmd_name].app and ctx.obj is None:
            ctx.obj = _script_info()
        return load_command(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands from their entries, so --help imports none of them."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, click.Command(name, help=COMMANDS[name].help).get_short_help_str(limit))
            for name in COMMANDS
        ]
        with formatter.section("Commands"):
            formatter.write_dl(sorted(rows))


cli = FeedbackbotGroup(
    name="feedbackbot",
    help="Voices of Sandwell feedback service. Settings come from environment variables.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def describe_database_error(exc: Exception) -> str:
    """Turn a driver error into one line an operator can act on."""
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    lowered = first.lower()
    if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
        return f"the database has no tables yet; run `feedbackbot db upgrade` first ({first})"
    return f"cannot use the database: {first}"


def _is_database_error(exc: Exception) -> bool:
    if "sqlalchemy" not in sys.modules:  # no command without SQLAlchemy can raise one
        return False
    from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError

    return isinstance(exc, OperationalError | ProgrammingError | DBAPIError | ArgumentError)


def _is_config_error(exc: Exception) -> bool:
    settings = sys.modules.get("feedbackbot.settings")  # not imported: no ConfigError was raised
    return settings is not None and isinstance(exc, settings.ConfigError)


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI, turning configuration and database problems into one line and exit code 2."""
    try:
        return cli.main(args=argv, prog_name="feedbackbot")
    except Exception as exc:
        if _is_config_error(exc):
            click.echo(f"error: {exc}", err=True)
        elif _is_database_error(exc):
            click.echo(f"error: {describe_database_error(exc)}", err=True)
        else:
            raise
        sys.exit(EXIT_USAGE)


def init_app(app: Flask) -> None:
    """Register every command on the app's own CLI group (`app.test_cli_runner()` in tests)."""
    for name in COMMANDS:
        if name not in app.cli.commands and name not in {"run", "shell"}:
            app.cli.add_command(load_command(name), name)
