"""`feedbackbot glossary`: check or rewrite text against the Voices of Sandwell glossary."""

from __future__ import annotations

import json
import sys
from bisect import bisect_right
from typing import IO

import click

from feedbackbot.core.glossary import Finding
from feedbackbot.services.glossary import check_wording, checker

EXIT_CLEAN, EXIT_FOUND = 0, 1


def _read(source: IO[str] | None) -> str:
    stream = source or sys.stdin
    try:
        return stream.read()
    except UnicodeDecodeError:
        raise click.UsageError(f"{getattr(stream, 'name', 'input')} is not UTF-8 text") from None
    except OSError as exc:
        raise click.UsageError(f"cannot read {getattr(stream, 'name', 'input')}: {exc.strerror}") from None


class _LineStarts:
    """Line and column of many offsets in one text: the newlines are found once, not per finding."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        position = text.find("\n")
        while position != -1:
            self.starts.append(position + 1)
            position = text.find("\n", position + 1)

    def at(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset, as editors show them."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _text_line(lines: _LineStarts, finding: Finding) -> str:
    line, column = lines.at(finding.start)
    options = " or ".join(f'"{s}"' for s in finding.suggestions)
    reason = checker().glossary.entry(finding.term).reason
    return f'{line}:{column}  found "{finding.text}" -> try {options}  ({reason})'


@click.group()
def glossary() -> None:
    """Check wording against the words young people chose."""


@glossary.command("check")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default="text",
    show_default=True,
    help="text: one line per finding; json: one document; jsonl: each input line is a document.",
)
def check(source: IO[str], fmt: str) -> None:
    """Check SOURCE (a file, or - for standard input). Exit 0 clean, 1 found, 2 bad usage."""
    text = _read(source)
    found_any = False
    if fmt == "jsonl":
        for line in text.splitlines():
            findings = checker().check(line)
            found_any = found_any or bool(findings)
            click.echo(json.dumps({"findings": [f.to_dict() for f in findings]}, ensure_ascii=False))
    else:
        findings = checker().check(text)  # no rewrite: `glossary rewrite` does that
        found_any = bool(findings)
        if fmt == "json":
            click.echo(json.dumps({"findings": [f.to_dict() for f in findings]}, ensure_ascii=False))
        elif findings:
            lines = _LineStarts(text)
            click.echo("\n".join(_text_line(lines, finding) for finding in findings))
    sys.exit(EXIT_FOUND if found_any else EXIT_CLEAN)


@glossary.command("rewrite")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-")
def rewrite(source: IO[str]) -> None:
    """Print SOURCE with each term replaced by its first suggestion."""
    click.echo(check_wording(_read(source)).rewritten, nl=False)


@glossary.command("terms")
def terms() -> None:
    """List the glossary terms and what young people prefer."""
    for entry in checker().glossary.entries:
        if entry.keep:
            preferred = "(kept: young people chose to keep it)"
        else:
            preferred = " or ".join(r.singular for r in entry.replacements)
        off = "  [switched off]" if entry.id in checker().glossary.disabled else ""
        click.echo(f"{entry.id:20} {entry.label:22} -> {preferred}{off}")
