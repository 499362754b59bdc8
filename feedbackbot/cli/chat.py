"""`feedbackbot chat`: the chat engine in a terminal (a try-out, nothing saved), and `chat classify`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO

import click

from feedbackbot.core.conversation import Reply, Turn
from feedbackbot.services import clock
from feedbackbot.services.config import domain

TRY_OUT_REFERENCE = "VOS-TRYOUT-000000"
TRY_OUT_CODE = "TRY0-UT00"


def _show(replies: list[Reply]) -> list[str]:
    values: list[str] = []
    for reply in replies:
        click.echo(f"bot> {reply.text}")
        for button in reply.buttons:
            values.append(button.value)
            click.echo(f"     [{len(values)}] {button.label}")
    return values


def _lines() -> Iterator[str]:
    """Lines typed at the prompt, or piped in (echoed so a transcript reads like the chat)."""
    if not sys.stdin.isatty():
        for line in sys.stdin:
            click.echo(f"you> {line.rstrip()}")
            yield line.rstrip("\n")
        return
    while True:
        try:
            yield input("you> ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return


@click.group(invoke_without_command=True)
@click.pass_context
def chat(ctx: click.Context) -> None:
    """Try the young people's chat in the terminal (nothing is saved)."""
    if ctx.invoked_subcommand is not None:
        return
    from feedbackbot.services.chat import promise_for  # the database's models: not for `classify`

    engine = domain().engine()
    turn: Turn = engine.start()
    click.echo(
        "Try-out of the chat. Type a message, or a button's number. Ctrl+D to stop. Nothing is saved.\n"
    )
    choices = _show(turn.replies)
    for line in _lines():
        if line.strip().isdigit() and 1 <= int(line) <= len(choices):
            turn = engine.handle(turn.state, choice=choices[int(line) - 1])
        else:
            turn = engine.handle(turn.state, text=line)
        if turn.submission is not None:
            click.echo("(try-out: in the live chat the feedback would now be saved)")
            promise = promise_for(turn.submission.kind, clock.today())
            turn = engine.submitted(turn.state, TRY_OUT_REFERENCE, TRY_OUT_CODE, promise)
        choices = _show(turn.replies)


@chat.command("classify")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
def classify(source: IO[str]) -> None:
    """Classify each line of SOURCE (file or -): one JSON object per line."""
    understanding = domain().understanding
    try:
        lines = source.read().splitlines()
    except UnicodeDecodeError:
        raise click.UsageError("the input is not UTF-8 text") from None
    for line in lines:
        if not line.strip():
            continue
        result = understanding.classify(line)
        verdict = understanding.assess_risk(line)
        click.echo(
            json.dumps(
                {
                    "text": line,
                    "safeguarding": verdict.alert,
                    "check_in": verdict.check_in,
                    "risk": list(verdict.categories) if verdict.outcome != "none" else [],
                    "risk_score": round(verdict.score, 4),
                    "kind": result.kind,
                    "intent": result.intent,
                    "confidence": result.confidence,
                },
                ensure_ascii=False,
            )
        )
