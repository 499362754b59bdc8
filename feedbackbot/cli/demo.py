"""`feedbackbot seed-demo`: fill an empty install with invented data to explore."""

from __future__ import annotations

import click
from flask import current_app

from feedbackbot.services.demo import DEMO_PASSWORD, DEMO_STAFF, seed_demo_data


@click.command("seed-demo")
def seed_demo() -> None:
    """Add invented demo staff and feedback (refused in production)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.UsageError("seed-demo adds invented people; it is refused in production")
    created = seed_demo_data()
    click.echo(f"demo data ready ({created['staff']} staff and {created['feedback']} feedback added)")
    click.echo(f"demo sign-ins (password {DEMO_PASSWORD}):")
    for person in DEMO_STAFF:
        click.echo(f"  {person.email:32} {person.role}")
