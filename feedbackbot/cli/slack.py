"""`feedbackbot slack`: set-up help for the Slack app."""

from __future__ import annotations

from importlib import resources

import click
from flask import current_app

EXAMPLE_HOST = "https://feedback.example.org"


@click.group()
def slack() -> None:
    """Slack set-up."""


@slack.command("manifest")
@click.option(
    "--base-url", default=None, help="Public address of this service (default: FEEDBACKBOT_BASE_URL)."
)
def manifest(base_url: str | None) -> None:
    """Print the Slack app manifest with this service's address filled in."""
    text = (resources.files("feedbackbot") / "slack" / "manifest.yaml").read_text(encoding="utf-8")
    base = (base_url or current_app.config["BASE_URL"]).rstrip("/")
    if not base.startswith("https://"):
        click.echo(f"warning: Slack needs an https address; {base} will not work", err=True)
    click.echo(text.replace(EXAMPLE_HOST, base), nl=False)
