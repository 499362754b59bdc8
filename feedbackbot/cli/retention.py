"""`feedbackbot retention`: apply the retention rules, set or lift a legal hold, erase one record."""

from __future__ import annotations

import click

from feedbackbot.services import retention as service
from feedbackbot.services.audit import Actor
from feedbackbot.services.errors import ServiceError


@click.group()
def retention() -> None:
    """Keep records only as long as the retention rules (and the privacy page) say."""


@retention.command("run")
@click.option("--dry-run", is_flag=True, help="Say what would be removed, per type, and change nothing.")
def run(dry_run: bool) -> None:
    """Anonymise or delete every record past its retention (the clock does this every night)."""
    result = service.run_retention(dry_run=dry_run, actor=Actor.system("cli"))
    for line in result.lines(service.policy()):
        click.echo(line)
    if dry_run:
        click.echo("dry run: nothing was changed")


@retention.command("rules")
def rules() -> None:
    """Show the retention rules in force."""
    for rule in service.policy().ordered():
        click.echo(f"{rule.record_type}: {rule.action} {rule.period} after {rule.after.replace('_', ' ')}")


@retention.command("hold")
@click.argument("reference")
@click.option("--reason", required=True, help="Why it must be kept (litigation, an enquiry...).")
def hold(reference: str, reason: str) -> None:
    """Put a case or piece of feedback on legal hold: retention and erasure leave it alone."""
    try:
        feedback = service.set_legal_hold(reference, reason, Actor.system("cli"))
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{feedback.reference} is on legal hold")


@retention.command("release")
@click.argument("reference")
@click.option("--reason", required=True, help="Why the hold can end.")
def release(reference: str, reason: str) -> None:
    """Lift a legal hold; the next retention run applies the rules again."""
    try:
        feedback = service.release_legal_hold(reference, reason, Actor.system("cli"))
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{feedback.reference} is no longer on legal hold")


@retention.command("erase")
@click.argument("reference")
@click.option("--reason", required=True, help="The request being met (who asked, when).")
def erase(reference: str, reason: str) -> None:
    """Erase one record's words and personal details on request (refused while on legal hold)."""
    try:
        feedback = service.erase(reference, reason, Actor.system("cli"))
    except ServiceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{feedback.reference} erased: its words and personal details are gone, its counts stay")
